"""The project's URLs plus this app's (the integrator adds the same include to amparo/urls.py)."""

from django.urls import include, path

from amparo.urls import urlpatterns as project

urlpatterns = [*project]
if not any(getattr(p, "namespace", None) == "corroboration" for p in project):
    urlpatterns.append(path("", include("amparo.corroboration.urls")))
