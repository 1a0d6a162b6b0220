from django.apps import AppConfig


class RedactionConfig(AppConfig):
    name = "amparo.redaction"
    label = "redaction"
