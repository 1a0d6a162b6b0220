from django.urls import path

from amparo.evidence import views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.evidence_list, name="list"),
    path("evidence/add/", views.evidence_add, name="add"),
    path("evidence/<uuid:code>/", views.evidence_detail, name="detail"),
    path("evidence/<uuid:code>/download/", views.evidence_download, name="download"),
    path("evidence/<uuid:code>/thumbnail/", views.evidence_thumbnail, name="thumbnail"),
    path("evidence/<uuid:code>/view/", views.evidence_view, name="view"),
    path("evidence/<uuid:code>/receipt/", views.evidence_receipt, name="receipt_file"),
    path("evidence/<uuid:code>/bundle/", views.evidence_bundle, name="bundle"),
    path("evidence/<uuid:code>/consent/", views.evidence_consent, name="consent"),
    path("evidence/<uuid:code>/delete/", views.evidence_delete, name="delete"),
    path("log/checkpoint", views.log_checkpoint, name="log_checkpoint"),
    path("log/key", views.log_key, name="log_key"),
    path("log/tile/<path:path>", views.log_tile, name="log_tile"),
    path("receipt/", views.receipt_check, name="receipt"),
]
