"""Every service of one open database, built once and handed to the GUI or ``thep-admin``."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from thep_desktop.audit_trail import Action, Change, record_alone
from thep_desktop.database import Database
from thep_desktop.services.schools.schools_service import SchoolsService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.settings.staff_service import StaffService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.services.users.users_service import UsersService

if TYPE_CHECKING:
    from thep_desktop.services.annual_report.annual_report_service import AnnualReportService
    from thep_desktop.services.audit.audit_service import AuditService
    from thep_desktop.services.backups.backup_service import BackupService
    from thep_desktop.services.dashboard.dashboard_service import DashboardService
    from thep_desktop.services.governance.governance_actions_service import (
        GovernanceActionsService,
    )
    from thep_desktop.services.governance.governance_compliance_service import (
        GovernanceComplianceService,
    )
    from thep_desktop.services.governance.governance_documents_service import (
        GovernanceDocumentsService,
    )
    from thep_desktop.services.governance.governance_people_service import (
        GovernancePeopleService,
    )
    from thep_desktop.services.governance.governing_bodies_service import (
        GoverningBodiesService,
    )
    from thep_desktop.services.governance.meetings_service import MeetingsService
    from thep_desktop.services.import_export.gias_import import GiasImportService
    from thep_desktop.services.import_export.pupil_import import PupilNumbersService
    from thep_desktop.services.invoices.aged_debt_service import AgedDebtService
    from thep_desktop.services.invoices.catalogue_service import CatalogueService
    from thep_desktop.services.invoices.fee_runs_service import FeeRunsService
    from thep_desktop.services.invoices.invoice_documents_service import (
        InvoiceDocumentsService,
    )
    from thep_desktop.services.invoices.invoices_service import InvoicesService
    from thep_desktop.services.invoices.payments_service import PaymentsService
    from thep_desktop.services.invoices.reminders_service import RemindersService
    from thep_desktop.services.invoices.statements_service import StatementsService
    from thep_desktop.services.letters.letters_service import LettersService
    from thep_desktop.services.memberships.fees_service import FeesService
    from thep_desktop.services.memberships.members_register_service import (
        MembersRegisterService,
    )
    from thep_desktop.services.memberships.members_service import MembersService
    from thep_desktop.services.offline.offline_service import OfflineService
    from thep_desktop.services.peer_reviews.calendar_service import SchoolCalendarService
    from thep_desktop.services.peer_reviews.clusters_service import ClustersService
    from thep_desktop.services.peer_reviews.review_exports_service import ReviewExportsService
    from thep_desktop.services.peer_reviews.review_letters_service import ReviewLettersService
    from thep_desktop.services.peer_reviews.reviews_service import ReviewsService
    from thep_desktop.services.peer_reviews.scheduling_service import SchedulingService
    from thep_desktop.services.schools.ofsted_service import OfstedService
    from thep_desktop.services.schools.school_notes_service import SchoolNotesService
    from thep_desktop.services.schools.school_profile_service import SchoolProfileService


class Services:
    """The services over one database, and the user acting through them.

    Windows and commands receive this through their constructor; nothing reaches for a
    global. Later areas (invoices, reviews, governance) add their service here.
    """

    def __init__(self, database: Database, actor: Actor) -> None:
        self.db = database
        # Every permission refused to the user is written to the audit trail.
        self.actor = actor.reporting_to(self._record_refusal)
        self.schools = SchoolsService(database)
        self.staff = StaffService(database)
        self.organisation = OrganisationService(database)
        self.users = UsersService(database)

    def _record_refusal(self, actor: Actor, permission: Permission) -> None:
        """Write a refused permission to the trail; the refusal stands if that fails too."""
        if self.db.read_only:
            return
        refused = f"{permission.words} ({permission.code})"
        try:
            record_alone(
                self.db.session,
                actor.name,
                Change(
                    Action.REFUSED,
                    detail=f"{actor.name} ({actor.role.value}) was refused: {refused}.",
                ),
            )
        except Exception:  # noqa: BLE001 - the refusal is what the person must hear
            pass

    # Services that bring in large libraries (reportlab, openpyxl) are made on first use,
    # so the window opens without loading them.
    @cached_property
    def offline(self) -> OfflineService:
        from thep_desktop.services.offline.offline_service import OfflineService

        return OfflineService()

    @cached_property
    def annual_report(self) -> AnnualReportService:
        from thep_desktop.services.annual_report.annual_report_service import (
            AnnualReportService,
        )

        return AnnualReportService(self.db)

    @cached_property
    def dashboard(self) -> DashboardService:
        from thep_desktop.services.dashboard.dashboard_service import DashboardService

        return DashboardService(self.db)

    @cached_property
    def ofsted(self) -> OfstedService:
        from thep_desktop.services.schools.ofsted_service import OfstedService

        return OfstedService(self.db)

    @cached_property
    def school_notes(self) -> SchoolNotesService:
        from thep_desktop.services.schools.school_notes_service import SchoolNotesService

        return SchoolNotesService(self.db)

    @cached_property
    def school_profile(self) -> SchoolProfileService:
        from thep_desktop.services.schools.school_profile_service import SchoolProfileService

        return SchoolProfileService(self.db)

    @cached_property
    def letters(self) -> LettersService:
        from thep_desktop.services.letters.letters_service import LettersService

        return LettersService(self.db)

    @cached_property
    def members(self) -> MembersService:
        from thep_desktop.services.memberships.members_service import MembersService

        return MembersService(self.db)

    @cached_property
    def members_register(self) -> MembersRegisterService:
        from thep_desktop.services.memberships.members_register_service import (
            MembersRegisterService,
        )

        return MembersRegisterService(self.db)

    @cached_property
    def fees(self) -> FeesService:
        from thep_desktop.services.memberships.fees_service import FeesService

        return FeesService(self.db)

    @cached_property
    def invoices(self) -> InvoicesService:
        from thep_desktop.services.invoices.invoices_service import InvoicesService

        return InvoicesService(self.db)

    @cached_property
    def payments(self) -> PaymentsService:
        from thep_desktop.services.invoices.payments_service import PaymentsService

        return PaymentsService(self.db)

    @cached_property
    def reminders(self) -> RemindersService:
        from thep_desktop.services.invoices.reminders_service import RemindersService

        return RemindersService(self.db)

    @cached_property
    def fee_runs(self) -> FeeRunsService:
        from thep_desktop.services.invoices.fee_runs_service import FeeRunsService

        return FeeRunsService(self.db)

    @cached_property
    def catalogue(self) -> CatalogueService:
        from thep_desktop.services.invoices.catalogue_service import CatalogueService

        return CatalogueService(self.db)

    @cached_property
    def invoice_documents(self) -> InvoiceDocumentsService:
        from thep_desktop.services.invoices.invoice_documents_service import (
            InvoiceDocumentsService,
        )

        return InvoiceDocumentsService(self.db)

    @cached_property
    def statements(self) -> StatementsService:
        from thep_desktop.services.invoices.statements_service import StatementsService

        return StatementsService(self.db)

    @cached_property
    def aged_debt(self) -> AgedDebtService:
        from thep_desktop.services.invoices.aged_debt_service import AgedDebtService

        return AgedDebtService(self.db)

    @cached_property
    def clusters(self) -> ClustersService:
        from thep_desktop.services.peer_reviews.clusters_service import ClustersService

        return ClustersService(self.db)

    @cached_property
    def school_calendar(self) -> SchoolCalendarService:
        from thep_desktop.services.peer_reviews.calendar_service import SchoolCalendarService

        return SchoolCalendarService(self.db)

    @cached_property
    def reviews(self) -> ReviewsService:
        from thep_desktop.services.peer_reviews.reviews_service import ReviewsService

        return ReviewsService(self.db)

    @cached_property
    def scheduling(self) -> SchedulingService:
        from thep_desktop.services.peer_reviews.scheduling_service import SchedulingService

        return SchedulingService(self.db)

    @cached_property
    def review_letters(self) -> ReviewLettersService:
        from thep_desktop.services.peer_reviews.review_letters_service import (
            ReviewLettersService,
        )

        return ReviewLettersService(self.db)

    @cached_property
    def review_exports(self) -> ReviewExportsService:
        from thep_desktop.services.peer_reviews.review_exports_service import (
            ReviewExportsService,
        )

        return ReviewExportsService(self.db)

    @cached_property
    def governing_bodies(self) -> GoverningBodiesService:
        from thep_desktop.services.governance.governing_bodies_service import (
            GoverningBodiesService,
        )

        return GoverningBodiesService(self.db)

    @cached_property
    def governance_people(self) -> GovernancePeopleService:
        from thep_desktop.services.governance.governance_people_service import (
            GovernancePeopleService,
        )

        return GovernancePeopleService(self.db)

    @cached_property
    def meetings(self) -> MeetingsService:
        from thep_desktop.services.governance.meetings_service import MeetingsService

        return MeetingsService(self.db)

    @cached_property
    def governance_actions(self) -> GovernanceActionsService:
        from thep_desktop.services.governance.governance_actions_service import (
            GovernanceActionsService,
        )

        return GovernanceActionsService(self.db)

    @cached_property
    def governance_compliance(self) -> GovernanceComplianceService:
        from thep_desktop.services.governance.governance_compliance_service import (
            GovernanceComplianceService,
        )

        return GovernanceComplianceService(self.db)

    @cached_property
    def governance_documents(self) -> GovernanceDocumentsService:
        from thep_desktop.services.governance.governance_documents_service import (
            GovernanceDocumentsService,
        )

        return GovernanceDocumentsService(self.db)

    @cached_property
    def backups(self) -> BackupService:
        from thep_desktop.services.backups.backup_service import BackupService

        return BackupService(self.db)

    @cached_property
    def audit(self) -> AuditService:
        from thep_desktop.services.audit.audit_service import AuditService

        return AuditService(self.db)

    @cached_property
    def gias_import(self) -> GiasImportService:
        from thep_desktop.services.import_export.gias_import import GiasImportService

        return GiasImportService(self.db)

    @cached_property
    def pupil_import(self) -> PupilNumbersService:
        from thep_desktop.services.import_export.pupil_import import PupilNumbersService

        return PupilNumbersService(self.db)

    def finish_unfinished_merges(self) -> list[str]:
        """Mail merges on this computer that were killed part-way, put right; what was done.

        Without the letters service (and reportlab), so the window can run it as it opens.
        """
        from thep_desktop.services.letters.merge_batches import finish_unfinished_merges

        return finish_unfinished_merges(self.db, self.actor)

    def close(self) -> None:
        self.db.dispose()


def open_services(
    url: str,
    actor: Actor | None = None,
    *,
    create: bool = False,
    lock_notify: Callable[[float | None], None] | None = None,
) -> tuple[Services, str]:
    """Open the database at ``url``, bring its schema up to date, and return its services.

    Only a caller that means to start a new database passes ``create=True`` (``thep-admin
    init``, File > New database, the first start); otherwise a missing file or an empty server
    database raises :class:`~thep_desktop.database.NoDatabaseYet`. Another program's database
    or a damaged file is refused untouched. The second value says what was done to the schema
    ("" when nothing), for the user.

    Without ``actor``, the acting user is found from the database (services/users/identity.py:
    the server's session user, or the computer's login) and their login is recorded; a login
    with no role is refused (:class:`~thep_desktop.services.users.identity.NoRoleError`). On a
    server opened by the owner of its tables, the group roles' grants are brought up to date.
    ``lock_notify`` hears how long opening waits for someone else's save (see
    services/shared/retry.py). Raises :class:`~thep_desktop.database.DatabaseError`
    with a message for the user.
    """
    from thep_desktop.database import DatabaseError
    from thep_desktop.services.shared.errors import DatabaseBusyError

    database = Database(url)
    # Opening records the login, a save like any other: it may wait for someone else's.
    database.lock_wait.notify = lock_notify
    from thep_desktop.services.users.identity import identify, login_refusal

    if not database.is_sqlite:
        database.after_migrations = _owners_grants
    try:
        found = database.recognise()
        backup = database.upgrade(create=create, found=found)
        grants = database.after_migrations_said
        if grants is None:  # no migration ran: the grants are checked on their own
            grants = _server_grants(database)
        if actor is None:
            actor = identify(database)
    except Exception as exc:  # a driver failure, or the server refusing the login: in words
        database.dispose()
        refusal = login_refusal(exc, database)
        if refusal is not None:
            raise refusal from exc
        if isinstance(exc, DatabaseError):
            raise
        if isinstance(exc, DatabaseBusyError):  # waited for someone else's save, in vain
            raise DatabaseError(exc.message) from exc
        raise DatabaseError(f"Cannot open the database ({database.describe()}): {exc}") from exc
    note = ""
    if found.state != "ours":
        note = "A new, empty database was created."
    elif backup is not None:
        note = f"The database was upgraded; a copy of it as it was is kept at {backup}."
    if grants and found.state == "ours":
        note = f"{note} {grants}".strip()
    return Services(database, actor), note


def _server_grants(database: Database) -> str:
    """On a server opened by its owner: the group roles' grants, as the areas declare them."""
    if database.is_sqlite or database.read_only:
        return ""
    with database.engine.begin() as connection:
        return _owners_grants(connection)


def _owners_grants(connection: Connection) -> str:
    """The grants brought up to date, when ``connection`` is the tables' owner's."""
    from thep_desktop.services.users.identity import database_owner
    from thep_desktop.services.users.server_roles import apply_grants

    owner = database_owner(connection)
    login = connection.exec_driver_sql("SELECT session_user").scalar_one()
    if owner != login:
        return ""
    return apply_grants(connection)
