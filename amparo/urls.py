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
