"""Every area's permissions in one list: the grants on a server are made from it."""

from thep_desktop.services.backups.backups_permissions import BACKUPS_AREA
from thep_desktop.services.invoices.invoices_permissions import INVOICES_AREA
from thep_desktop.services.letters.letters_permissions import LETTERS_AREA
from thep_desktop.services.memberships.memberships_permissions import MEMBERSHIPS_AREA
from thep_desktop.services.schools.schools_permissions import SCHOOLS_AREA
from thep_desktop.services.settings.settings_permissions import SETTINGS_AREA
from thep_desktop.services.shared.permissions import Area
from thep_desktop.services.users.users_permissions import USERS_AREA

# Peer reviews and governance add theirs here when they arrive.
AREAS: tuple[Area, ...] = (
    SCHOOLS_AREA,
    MEMBERSHIPS_AREA,
    INVOICES_AREA,
    LETTERS_AREA,
    SETTINGS_AREA,
    BACKUPS_AREA,
    USERS_AREA,
)
