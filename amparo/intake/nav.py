from django.utils.translation import gettext_lazy as _

NAV = [
    ("desk", _("Hotline call"), "intake:call", "reports.create"),
    ("network", _("Partner API"), "intake:tokens", "api.manage"),
]
