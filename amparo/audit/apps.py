from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"

    def ready(self) -> None:
        from amparo import vocab

        vocab.install_empty_choice()  # before any form class is built: no "---------" on any page
