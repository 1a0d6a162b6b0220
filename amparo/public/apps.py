from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "amparo.public"
    label = "public"
