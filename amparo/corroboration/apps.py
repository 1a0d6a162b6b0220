from django.apps import AppConfig


class CorroborationConfig(AppConfig):
    name = "amparo.corroboration"
    label = "corroboration"
    verbose_name = "Corroboration"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from amparo.corroboration.tasks import after_fingerprints

        task_finished.connect(after_fingerprints, dispatch_uid="corroboration.after_fingerprints")
