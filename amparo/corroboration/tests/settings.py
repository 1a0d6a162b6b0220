"""Settings for running this app's tests before the integrator adds it to amparo.settings."""

from amparo.settings import *  # noqa: F403  (the project's settings, plus this app)
from amparo.settings import INSTALLED_APPS as _PROJECT_APPS

INSTALLED_APPS = [
    *_PROJECT_APPS,
    *(["amparo.corroboration"] if "amparo.corroboration" not in _PROJECT_APPS else []),
]
ROOT_URLCONF = "amparo.corroboration.tests.urls"
