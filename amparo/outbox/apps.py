from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "amparo.outbox"
    label = "outbox"
