from django.utils.translation import gettext_lazy as _

NAV = [("network", _("Members"), "accounts:members", "members.manage")]
