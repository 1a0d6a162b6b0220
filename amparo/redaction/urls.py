from django.urls import URLPattern, URLResolver, path, re_path

from amparo.redaction import views

app_name = "redaction"
urlpatterns: list[URLPattern | URLResolver] = [
    path("redaction/", views.redaction_list, name="list"),
    path("evidence/<uuid:code>/redact/", views.redaction_request, name="request"),
    path("redaction/<uuid:code>/", views.redaction_review, name="review"),
    path("redaction/<uuid:code>/save/", views.redaction_save, name="save"),
    path("redaction/<uuid:code>/submit/", views.redaction_submit, name="submit"),
    path("redaction/<uuid:code>/decide/", views.redaction_decide, name="decide"),
    path("public/clips/how-to-check/", views.how_to_check, name="how_to_check"),
    re_path(r"^public/clips/(?P<sha256>[0-9a-f]{64})\.(?P<ext>jpg|mp4)$", views.public_clip, name="clip"),
    re_path(
        r"^public/clips/(?P<sha256>[0-9a-f]{64})\.(?P<which>redaction|original)\.tlog-proof$",
        views.public_receipt,
        name="receipt",
    ),
]
