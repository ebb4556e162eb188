"""What the annual report lets each role do: office staff write it and mark it final."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

WRITE_ANNUAL_REPORT = permission(
    "write_annual_report",
    "write the annual report's narrative or mark the report final",
    [Role.STAFF],
)

ANNUAL_REPORT_AREA = Area(
    "annual_report",
    (WRITE_ANNUAL_REPORT,),
    writes={"annual_report": WRITE_ANNUAL_REPORT},
)
