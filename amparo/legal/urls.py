from django.urls import path

from amparo.legal import views

app_name = "legal"
urlpatterns = [
    path("legal/providers/", views.providers, name="providers"),
    path("legal/providers/new/", views.provider_edit, name="provider_new"),
    path("legal/providers/<uuid:code>/edit/", views.provider_edit, name="provider_edit"),
    path("legal/providers/<uuid:code>/partner/", views.provider_link, name="provider_link"),
    path("legal/referrals/", views.referrals, name="referrals"),
    path("legal/referrals/<uuid:code>/answer/", views.referral_answer, name="referral_answer"),
    path("legal/cases/<uuid:code>/edit/", views.case_edit, name="case_edit"),
    path("legal/cases/<uuid:code>/hearings/new/", views.hearing_new, name="hearing_new"),
    path("legal/cases/<uuid:code>/bonds/new/", views.bond_new, name="bond_new"),
    path("people/<slug:case_code>/refer/", views.referral_new, name="referral_new"),
    path("people/<slug:case_code>/representation/", views.representation_new, name="representation_new"),
    path("people/<slug:case_code>/cases/new/", views.case_new, name="case_new"),
]
