"""What the schools area lets each role do: office staff keep the register."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

EDIT_SCHOOLS = permission(
    "edit_schools",
    "change the schools register (schools, contacts, inspections, notes, imports)",
    [Role.STAFF],
)

SCHOOLS_AREA = Area(
    "schools",
    (EDIT_SCHOOLS,),
    writes={
        "school": EDIT_SCHOOLS,
        "contact": EDIT_SCHOOLS,
        "school_census": EDIT_SCHOOLS,
        "ofsted_inspection": EDIT_SCHOOLS,
        "school_note": EDIT_SCHOOLS,
    },
)
