from django.utils.translation import gettext_lazy as _

NAV = [
    ("people", _("People"), "people:list", "people.view"),
    ("people", _("My clients"), "people:list", "people.referred"),
    ("people", _("Follow-up"), "people:followup", "tasks.view"),
    ("people", _("Tasks"), "people:tasks", "tasks.view"),
    ("people", _("Facilities"), "people:facilities", "facilities.view"),
]
