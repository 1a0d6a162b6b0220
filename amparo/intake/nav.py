from django.utils.translation import gettext_lazy as _

NAV = [
    (_("Hotline call"), "intake:call", "reports.create"),
    (_("Partner API"), "intake:tokens", "api.manage"),
]
