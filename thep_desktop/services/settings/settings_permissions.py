"""What the settings area lets each role do: the organisation's details are the admin's."""

from thep_desktop.services.shared.permissions import Area, permission

EDIT_SETTINGS = permission("edit_settings", "change the organisation's settings and staff list", [])

SETTINGS_AREA = Area(
    "settings",
    (EDIT_SETTINGS,),
    writes={"organisation_profile": EDIT_SETTINGS, "staff_member": EDIT_SETTINGS},
)
