"""What the governance area lets each role do."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

MANAGE_GOVERNANCE = permission(
    "manage_governance",
    "keep the boards and councils, their people and the register of directors, "
    "and record meetings, minutes, decisions and actions",
    [Role.CLERK],
)

GOVERNANCE_AREA = Area(
    "governance",
    (MANAGE_GOVERNANCE,),
    writes={
        "governing_body": MANAGE_GOVERNANCE,
        "governance_person": MANAGE_GOVERNANCE,
        "appointment": MANAGE_GOVERNANCE,
        "meeting": MANAGE_GOVERNANCE,
        "agenda_item": MANAGE_GOVERNANCE,
        "agenda_paper": MANAGE_GOVERNANCE,
        "meeting_attendance": MANAGE_GOVERNANCE,
        "interest_declaration": MANAGE_GOVERNANCE,
        "decision": MANAGE_GOVERNANCE,
        "governance_action": MANAGE_GOVERNANCE,
        "minutes_erratum": MANAGE_GOVERNANCE,
    },
)
