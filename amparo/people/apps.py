from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "amparo.people"
    label = "people"

    def ready(self) -> None:
        from django.conf import settings

        from amparo.lib import crypto

        def keys() -> crypto.KeyConfig:
            return crypto.KeyConfig(
                master_key=getattr(settings, "PERSON_MASTER_KEY", "") or "",
                blind_index_key=getattr(settings, "BLIND_INDEX_KEY", "") or "",
                keys_dir=settings.KEYS_DIR,
                previous_master_keys=tuple(
                    k
                    for k in (getattr(settings, "PERSON_MASTER_KEY_PREVIOUS", "") or "").split(",")
                    if k.strip()
                ),
            )

        crypto.configure(keys)
