from django.utils.translation import gettext_lazy as _

NAV = [("network", _("Public layer"), "public:manage", "public.publish")]
