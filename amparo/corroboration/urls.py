from django.urls import path

from amparo.corroboration import views

app_name = "corroboration"
urlpatterns = [
    path("corroboration/reports/<uuid:code>/", views.report_view, name="report"),
    path("corroboration/reports/<uuid:code>/apply/", views.report_apply, name="report_apply"),
    path("corroboration/evidence/<uuid:code>/matches/", views.evidence_matches, name="evidence_matches"),
    path(
        "corroboration/evidence/<uuid:code>/frame/<int:ms>.jpg", views.evidence_frame, name="evidence_frame"
    ),
]
