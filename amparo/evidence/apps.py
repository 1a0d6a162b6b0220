from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "amparo.evidence"
    label = "evidence"
