from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from amparo import checks  # noqa: F401  (registers Amparo's system checks)
