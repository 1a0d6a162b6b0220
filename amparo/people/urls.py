from django.urls import path

from amparo.people import facility_views, views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="list"),
    path("people/new/", views.person_create, name="create"),
    path("people/<slug:case_code>/", views.person_detail, name="detail"),
    path("people/<slug:case_code>/edit/", views.person_edit, name="edit"),
    path("people/<slug:case_code>/delete/", views.person_delete, name="delete"),
    path("people/<slug:case_code>/custody/", views.custody_add, name="custody_add"),
    path("people/<slug:case_code>/locator/", views.locator_add, name="locator_add"),
    path("people/<slug:case_code>/contacts/", views.contact_add, name="contact_add"),
    path("people/<slug:case_code>/consents/", views.consent_add, name="consent_add"),
    path("people/<slug:case_code>/incidents/", views.incident_link, name="incident_link"),
    path("people/<slug:case_code>/tasks/", views.task_add, name="task_add"),
    path("people/<slug:case_code>/export/", views.person_export, name="export"),
    path("casework/follow-up/", views.followup_page, name="followup"),
    path("casework/tasks/", views.task_list, name="tasks"),
    path("casework/tasks/<uuid:code>/done/", views.task_done, name="task_done"),
    path("facilities/", facility_views.facility_list, name="facilities"),
    path("facilities/new/", facility_views.facility_edit, name="facility_new"),
    path("facilities/import/", facility_views.facility_import, name="facility_import"),
    path("facilities/field-offices/", facility_views.field_offices, name="field_offices"),
    path("facilities/<uuid:code>/", facility_views.facility_detail, name="facility"),
    path("facilities/<uuid:code>/edit/", facility_views.facility_edit, name="facility_edit"),
]
