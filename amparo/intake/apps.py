from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    label = "intake"
