from django.urls import URLPattern, URLResolver, path

from amparo.intake import places, tus, views
from amparo.intake.api import public_urls

app_name = "intake"
urlpatterns: list[URLPattern | URLResolver] = [
    path("report/", views.report_start, name="report_start"),
    path("report/<slug:slug>/", views.report, name="report"),
    path("followup/", views.followup, name="followup"),
    path("uploads/", tus.create, name="tus_create"),
    path("uploads/<str:upload_id>", tus.upload, name="tus_upload"),
    path("intake/call/", views.call, name="call"),
    path("intake/places/", places.places, name="places"),
    path("intake/api-tokens/", views.tokens, name="tokens"),
    path("intake/api-tokens/<uuid:code>/revoke/", views.revoke_token, name="revoke_token"),
    path("api/", public_urls()),
]
