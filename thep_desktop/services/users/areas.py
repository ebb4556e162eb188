"""Every area's permissions in one list: the grants on a server are made from it."""

from thep_desktop.services.annual_report.annual_report_permissions import ANNUAL_REPORT_AREA
from thep_desktop.services.backups.backups_permissions import BACKUPS_AREA
from thep_desktop.services.governance.governance_permissions import GOVERNANCE_AREA
from thep_desktop.services.invoices.invoices_permissions import INVOICES_AREA
from thep_desktop.services.letters.letters_permissions import LETTERS_AREA
from thep_desktop.services.memberships.memberships_permissions import MEMBERSHIPS_AREA
from thep_desktop.services.peer_reviews.peer_reviews_permissions import PEER_REVIEWS_AREA
from thep_desktop.services.schools.schools_permissions import SCHOOLS_AREA
from thep_desktop.services.settings.settings_permissions import SETTINGS_AREA
from thep_desktop.services.shared.permissions import Area
from thep_desktop.services.users.users_permissions import USERS_AREA

AREAS: tuple[Area, ...] = (
    SCHOOLS_AREA,
    MEMBERSHIPS_AREA,
    INVOICES_AREA,
    PEER_REVIEWS_AREA,
    GOVERNANCE_AREA,
    ANNUAL_REPORT_AREA,
    LETTERS_AREA,
    SETTINGS_AREA,
    BACKUPS_AREA,
    USERS_AREA,
)
