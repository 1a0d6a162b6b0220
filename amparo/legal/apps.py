from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "amparo.legal"
    label = "legal"
