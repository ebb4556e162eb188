"""What the backups area lets each role do: anyone may take a copy; restoring is the admin's."""

from thep_desktop.services.shared.permissions import VIEW, Area, permission

BACK_UP = VIEW  # a copy of what the person may already read
RESTORE_BACKUPS = permission(
    "restore_backups", "restore the database from a backup (it replaces everything)", []
)

BACKUPS_AREA = Area("backups", (RESTORE_BACKUPS,))
