"""Settings for running this app's tests before the integrator adds it to amparo.settings."""

from amparo.settings import *  # noqa: F403  (the project's settings, plus this app)

if "amparo.corroboration" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "amparo.corroboration"]  # noqa: F405
ROOT_URLCONF = "amparo.corroboration.tests.urls"
