from django.urls import path

from amparo.incidents import views, views_dispatch, views_incidents

app_name = "incidents"
urlpatterns = [
    path("triage/", views.triage, name="triage"),
    path("triage/<uuid:code>/", views.report_detail, name="report"),
    path("triage/<uuid:code>/triage/", views.report_triage, name="report_triage"),
    path("triage/<uuid:code>/link/", views.report_link, name="report_link"),
    path("triage/<uuid:code>/unlink/", views.report_unlink, name="report_unlink"),
    path("triage/<uuid:code>/new-incident/", views.report_create_incident, name="report_create_incident"),
    path("triage/<uuid:code>/message/", views.report_message, name="report_message"),
    path("triage/<uuid:code>/dispatch/", views_dispatch.report_dispatch, name="report_dispatch"),
    path("incidents/", views_incidents.incidents, name="incidents"),
    path("incidents/new/", views_incidents.incident_new, name="incident_new"),
    path("incidents/search/", views_incidents.search_view, name="search"),
    path("map/tiles/", views_incidents.map_tile, name="map_tile"),
    path("incidents/<uuid:code>/", views_incidents.incident_detail, name="incident"),
    path("incidents/<uuid:code>/edit/", views_incidents.incident_edit, name="incident_edit"),
    path("incidents/<uuid:code>/verify/", views_incidents.incident_verify, name="incident_verify"),
    path("incidents/<uuid:code>/sources/", views_incidents.incident_source, name="incident_source"),
    path("incidents/<uuid:code>/compare/", views_incidents.incident_compare, name="incident_compare"),
    path("incidents/<uuid:code>/dispatch/", views_dispatch.incident_dispatch, name="incident_dispatch"),
    path("dispatches/", views_dispatch.dispatches, name="dispatches"),
    path("dispatches/notices/", views_dispatch.gateway, name="gateway"),
    path("dispatches/<uuid:code>/", views_dispatch.dispatch_detail, name="dispatch"),
    path("dispatches/<uuid:code>/respond/", views_dispatch.dispatch_respond, name="dispatch_respond"),
    path("vocabularies/", views_dispatch.vocabularies, name="vocabularies"),
    path("vocabularies/new/", views_dispatch.term_new, name="term_new"),
    path("vocabularies/<slug:vocabulary>/<slug:code>/", views_dispatch.term_edit, name="term_edit"),
]
