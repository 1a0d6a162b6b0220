from django.utils.translation import gettext_lazy as _

NAV = [("network", _("Audit log"), "audit:events", "audit.view")]
