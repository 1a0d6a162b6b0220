from django.urls import include, path

from amparo import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", views.setlang, name="set_language"),
    path("accounts/", include("amparo.accounts.urls")),
    path("audit/", include("amparo.audit.urls")),
    path("", include("amparo.evidence.urls")),
    path("", include("amparo.intake.urls")),
    path("", include("amparo.incidents.urls")),
    path("", include("amparo.people.urls")),
    path("", include("amparo.legal.urls")),
    path("", include("amparo.public.urls")),
    path("", include("amparo.corroboration.urls")),
    path("", include("amparo.redaction.urls")),
]

# An outage met outside a view (a middleware loading the session) is a 503 with Retry-After, not a 500.
handler500 = "amparo.outage.server_error"
