from django.apps import AppConfig


class CorroborationConfig(AppConfig):
    name = "amparo.corroboration"
    label = "corroboration"
    verbose_name = "Corroboration"
