from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "amparo.evidence"
    label = "evidence"

    def ready(self) -> None:
        from amparo.evidence import checks  # noqa: F401  (registers the vault's system checks)
