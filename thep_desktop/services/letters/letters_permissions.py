"""What the letters area lets each role do: everyone who works sends letters."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

SEND_LETTERS = permission(
    "send_letters",
    "produce letters and record them in the schools' correspondence",
    [Role.STAFF, Role.TREASURER, Role.CLERK],
)
EDIT_TEMPLATES = permission("edit_templates", "change the letter templates", [Role.STAFF])

LETTERS_AREA = Area(
    "letters",
    (SEND_LETTERS, EDIT_TEMPLATES),
    writes={
        "letter_template": EDIT_TEMPLATES,
        "letter_batch": SEND_LETTERS,
        "document": SEND_LETTERS,
        "correspondence": SEND_LETTERS,
    },
)
