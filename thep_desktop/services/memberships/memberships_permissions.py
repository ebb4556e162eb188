"""What the memberships area lets each role do."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

MANAGE_MEMBERS = permission(
    "manage_members",
    "change the members (applications, admissions, notice, leaving, re-joining)",
    [Role.STAFF],
)
# Full membership for a body the eligibility check refuses is a decision, so it is its own right.
OVERRIDE_ELIGIBILITY = permission(
    "override_eligibility",
    "admit a full member that the eligibility check refuses",
    [],
)
EDIT_FEES = permission(
    "edit_fees",
    "change the fee schedules and the membership rules",
    [Role.STAFF, Role.TREASURER],
)

MEMBERSHIPS_AREA = Area(
    "memberships",
    (MANAGE_MEMBERS, OVERRIDE_ELIGIBILITY, EDIT_FEES),
    writes={
        "member": MANAGE_MEMBERS,
        "membership_period": MANAGE_MEMBERS,
        "fee_schedule": EDIT_FEES,
        "fee_period": EDIT_FEES,
        "membership_rules": EDIT_FEES,
        "notice_exception": EDIT_FEES,
    },
)
