from django.utils.translation import gettext_lazy as _

NAV = [(_("Members"), "accounts:members", "members.manage")]
