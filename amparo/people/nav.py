from django.utils.translation import gettext_lazy as _

NAV = [
    (_("People"), "people:list", "people.view"),
    (_("My clients"), "people:list", "people.referred"),
    (_("Follow-up"), "people:followup", "tasks.view"),
    (_("Tasks"), "people:tasks", "tasks.view"),
    (_("Facilities"), "people:facilities", "facilities.view"),
]
