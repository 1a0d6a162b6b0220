from django.utils.translation import gettext_lazy as _

NAV = [(_("Audit log"), "audit:events", "audit.view")]
