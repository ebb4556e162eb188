"""The main window: menus, the area tabs, and a status bar naming the open database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QTabWidget,
    QWidget,
)

from thep_desktop import config
from thep_desktop.connections import ServerLogin
from thep_desktop.database import DatabaseError, sqlite_file_of
from thep_desktop.network_drives import network_warning
from thep_desktop.services.backups.backups_permissions import RESTORE_BACKUPS
from thep_desktop.services.letters.letters_permissions import SEND_LETTERS
from thep_desktop.services.offline.offline_data import CopyInfo
from thep_desktop.services.offline.offline_service import is_offline_copy_file
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.users.users_permissions import VIEW_AUDIT
from thep_desktop.ui.backups.backup_actions import BackupActions
from thep_desktop.ui.dashboard.dashboard_tab import DashboardTab
from thep_desktop.ui.governance.governance_tab import GovernanceTab
from thep_desktop.ui.invoices.invoices_tab import InvoicesTab
from thep_desktop.ui.invoices.money_actions import add_money_actions
from thep_desktop.ui.memberships.memberships_tab import MembershipsTab
from thep_desktop.ui.offline.offline_actions import OfflineActions, copy_words
from thep_desktop.ui.peer_reviews.peer_reviews_tab import PeerReviewsTab
from thep_desktop.ui.schools.school_profile_window import PROFILE_KEY
from thep_desktop.ui.schools.schools_tab import SchoolsTab
from thep_desktop.ui.settings.database_chooser import (
    CANNOT_OPEN,
    ask_database_file,
    ask_new_database_file,
    ask_server_address,
)
from thep_desktop.ui.settings.server_login import ask_password, open_database
from thep_desktop.ui.shared.about_dialog import AboutDialog, open_log_folder
from thep_desktop.ui.shared.actions import make_action
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.database_messages import refusal_text
from thep_desktop.ui.shared.database_wait import DatabaseWait
from thep_desktop.ui.shared.questions import ask, inform, tell
from thep_desktop.ui.shared.server_watch import ServerWatch
from thep_desktop.ui.shared.single_window import DatabaseOwner, hand_over, open_elsewhere
from thep_desktop.ui.shared.table_export import (
    Exportable,
    default_file_name,
    export_built,
    export_view,
)

APP_TITLE = "THE Partnership Office"
SHOW_OTHER_WINDOW = "Show that window"
READ_ONLY_NOTICE = "Read-only: changes cannot be saved"
OFFLINE_COPY = "Offline copy"


class Opener(Protocol):
    """open_services, or a test's stand-in."""

    def __call__(
        self, url: str, actor: Actor | None = None, *, create: bool = False
    ) -> tuple[Services, str]: ...


class MainWindow(QMainWindow):
    """Holds the services of the open database; every tab gets them through its constructor."""

    def __init__(
        self,
        services: Services,
        *,
        opener: Opener = open_services,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.opener = opener
        self.ask = ask
        self.tell = tell
        self.inform = inform
        self.ask_password = ask_password
        self.undo_stack = QUndoStack(self)
        self.demo_job: BackgroundJob | None = None
        self.export_job: BackgroundJob | None = None
        # Where File > Export asks for a file name, and how it opens the file: tests replace them.
        self.ask_save_path = QFileDialog.getSaveFileName
        self.open_url = QDesktopServices.openUrl
        self.resize(1360, 820)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._build_status_bar()
        self.database_wait = DatabaseWait(self)
        self.database_wait.install(services)
        self.server_watch.install(services)
        self.server_watch.back.connect(self._server_back)
        # The daily backup runs only in the program itself (app.py turns it on), not in
        # every window a test makes.
        self.daily_backups = False
        self.backup_actions = BackupActions(self)
        self.offline_actions = OfflineActions(self)
        self.offline_info: CopyInfo | None = None
        self._offline_waiting: int | None = None
        self.offline_actions.counter.counted.connect(self._offline_counted)
        # What the open copy has changed is counted again a moment after anything is saved.
        self._offline_recount = QTimer(self)
        self._offline_recount.setSingleShot(True)
        self._offline_recount.setInterval(400)
        self._offline_recount.timeout.connect(self.show_offline_copy)
        self._build_tabs()
        self._build_menus()
        self._show_database()
        # A later start of the program on the same local file brings this window forward.
        self.database_owner = DatabaseOwner(self)
        self.database_owner.show_requested.connect(self.bring_to_front)
        self.database_owner.claim(services.db.sqlite_path)

    # -- building ---------------------------------------------------------------------------
    def _area_tabs(self) -> tuple[QWidget, ...]:
        """The tabs of the office's areas, in their order."""
        return (
            self.schools_tab,
            self.memberships_tab,
            self.invoices_tab,
            self.peer_reviews_tab,
            self.governance_tab,
        )

    def _build_tabs(self) -> None:
        # The Dashboard first (Alt+D: no menu of the bar uses D); the window opens on it when
        # the database holds data (``load``), else on Schools.
        self.dashboard_tab = DashboardTab(self.services, self)
        self.dashboard_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.dashboard_tab.annual_report_requested.connect(self.open_annual_report)
        self.dashboard_tab.counts_changed.connect(self._show_tab_counts)
        self.tabs.addTab(self.dashboard_tab, "&Dashboard")
        self.schools_tab = SchoolsTab(self.services, self.undo_stack, self)
        self.schools_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.schools_tab.counts_changed.connect(self._show_counts)
        self.tabs.addTab(self.schools_tab, "&Schools")
        self.memberships_tab = MembershipsTab(self.services, self)
        self.memberships_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.tabs.addTab(self.memberships_tab, "&Memberships")
        # The Schools tab's Membership column follows each change made here.
        self.memberships_tab.changed.connect(self.schools_tab.show_memberships)
        self.memberships_tab.counts_changed.connect(self._show_tab_counts)
        self.invoices_tab = InvoicesTab(self.services, self)
        add_money_actions(self.invoices_tab)
        self.invoices_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 8000)
        )
        self.invoices_tab.counts_changed.connect(self._show_tab_counts)
        self.invoices_tab.export_requested.connect(self.export_invoices)
        self.tabs.addTab(self.invoices_tab, "&Invoices")
        self.peer_reviews_tab = PeerReviewsTab(self.services, self.undo_stack, self)
        self.peer_reviews_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 12000)
        )
        self.peer_reviews_tab.counts_changed.connect(self._show_tab_counts)
        # Alt+P opens the Peer reviews menu; the tab is Alt+R.
        self.tabs.addTab(self.peer_reviews_tab, "Peer &reviews")
        self.governance_tab = GovernanceTab(self.services, self)
        self.governance_tab.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 12000)
        )
        self.governance_tab.counts_changed.connect(self._show_tab_counts)
        # Alt+O opens the Governance menu; the tab is Alt+G.
        self.tabs.addTab(self.governance_tab, "&Governance")
        for tab in self._area_tabs():
            # A tab says so when it has saved something: on a copy, one more change waits.
            tab.status_message.connect(lambda _text: self._offline_recount.start())
            # ... and the Dashboard, if in view, shows it (else it does when next shown).
            tab.status_message.connect(self._dashboard_changed)
        self.memberships_tab.changed.connect(self._dashboard_changed)
        self.tabs.setCurrentWidget(self.schools_tab)

    def _build_status_bar(self) -> None:
        """Messages on the left; on the right, in framed parts: schools, user, database."""
        self.database_label = QLabel()
        self.database_label.setObjectName("database_label")
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        self.count_label = QLabel()
        self.count_label.setObjectName("status_count_label")
        self.read_only_label = QLabel(READ_ONLY_NOTICE)
        self.read_only_label.setObjectName("read_only_label")
        self.read_only_label.setStyleSheet("font-weight: bold")
        self.read_only_label.setToolTip(
            "This database's file or folder, or the server, lets you read only: anything you "
            "change is refused, and nothing is saved."
        )
        self.offline_label = QLabel()
        self.offline_label.setObjectName("offline_label")
        self.offline_label.setStyleSheet("font-weight: bold; color: #7a4d00")
        self.offline_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.offline_label.setFrameShadow(QFrame.Shadow.Sunken)
        self.offline_label.setContentsMargins(6, 0, 6, 0)
        self.offline_label.setVisible(False)
        self.network_label = QLabel("On a network drive")
        self.network_label.setObjectName("network_label")
        self.network_label.setStyleSheet("font-weight: bold; color: #a00")
        bar = self.statusBar()
        self.server_watch = ServerWatch(self)
        bar.addPermanentWidget(self.server_watch.label)
        bar.addPermanentWidget(self.offline_label)
        bar.addPermanentWidget(self.read_only_label)
        bar.addPermanentWidget(self.network_label)
        for label, tip in (
            (self.count_label, "Schools shown in the table, and in the register"),
            (self.user_label, "Who is signed in, and what they may do"),
            (self.database_label, ""),
        ):
            # A sunken frame with a little room inside separates the parts, as in Office.
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setFrameShadow(QFrame.Shadow.Sunken)
            label.setContentsMargins(6, 0, 6, 0)
            if tip:
                label.setToolTip(tip)
            bar.addPermanentWidget(label)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        return make_action(self, text, slot, tip, shortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_db_action = self._action(
            "&New database…", self.new_database, "Ctrl+Shift+N", "Start a new, empty database file"
        )
        self.open_db_action = self._action(
            "&Open database…",
            self.open_database_file,
            QKeySequence.StandardKey.Open,
            "Open a database file on this computer",
        )
        self.server_action = self._action(
            "Connect to &server…", self.connect_to_server, None, "Open the office's shared database"
        )
        file_menu.addActions([self.new_db_action, self.open_db_action, self.server_action])
        self.recent_menu = file_menu.addMenu("&Recent databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.take_copy_action = self._action(
            "&Take an offline copy…",
            self.offline_actions.take_copy,
            None,
            "Save a copy of the office's database on this computer, to work on without a "
            "connection and synchronise later",
        )
        self.sync_action = self._action(
            "S&ynchronise with the office…",
            self.offline_actions.synchronise,
            None,
            "Send this offline copy's changes to the office and bring in the office's, "
            "after a preview",
        )
        file_menu.addActions([self.take_copy_action, self.sync_action])
        file_menu.addSeparator()
        self.import_gias_action = self._action(
            "&Import schools from GIAS…",
            lambda: self.import_file("gias"),
            "Ctrl+I",
            "Add and update schools from the DfE's Get Information about Schools extract",
        )
        self.import_pupils_action = self._action(
            "Refresh &pupil numbers…",
            lambda: self.import_file("pupils"),
            None,
            "Update pupils on roll from a sheet of URN, number of pupils and census date",
        )
        file_menu.addActions([self.import_gias_action, self.import_pupils_action])
        self.export_action = self._action(
            "&Export…",
            self.export_current,
            "Ctrl+E",
            "Save the table as shown (filtered and sorted), or with every field, as an Excel "
            "workbook or CSV file",
        )
        file_menu.addAction(self.export_action)
        self.tabs.currentChanged.connect(self._update_export_action)
        self._update_export_action()
        file_menu.addSeparator()
        self.back_up_action = self._action(
            "&Back up now",
            self.backup_actions.back_up_now,
            "Ctrl+Shift+B",
            "Copy the database to a dated, verified file in the backups folder",
        )
        self.back_up_to_action = self._action(
            "Back up to &folder…",
            self.backup_actions.back_up_to_folder,
            None,
            "Copy the database to a dated, verified file in a folder you choose",
        )
        self.restore_action = self._action(
            "&Restore from backup…",
            self.backup_actions.restore_from_backup,
            None,
            "Replace the register with a backup (the current one is backed up first)",
        )
        file_menu.addActions([self.back_up_action, self.back_up_to_action, self.restore_action])
        file_menu.addSeparator()
        self.demo_action = self._action(
            "Load &demo data…",
            self.load_demo,
            None,
            "Fill an empty register with a fictional borough",
        )
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("E&xit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        tab = self.schools_tab
        self.new_school_action = self._action(
            "&New school…", lambda: self.schools_tab.new_school(), QKeySequence.StandardKey.New
        )
        self.edit_school_action = self._action(
            "&Edit school…", lambda: self.schools_tab.edit_selected(), "Ctrl+Shift+E"
        )
        self.close_school_action = self._action(
            "&Close school…", lambda: self.schools_tab.close_selected()
        )
        self.delete_school_action = self._action(
            "&Delete school…", lambda: self.schools_tab.delete_selected()
        )
        self.school_profile_action = self._action(
            "School &profile…",
            lambda: self.schools_tab.open_profile(),
            PROFILE_KEY,
            "Everything about the selected school in one window: register, membership and "
            "fees, invoices, peer reviews, Ofsted history, letters and notes; printable",
        )
        edit_menu.addActions(
            [
                self.new_school_action,
                self.edit_school_action,
                self.close_school_action,
                self.delete_school_action,
                self.school_profile_action,
            ]
        )
        edit_menu.addSeparator()
        self.find_action = self._action("&Find…", self.focus_search, QKeySequence.StandardKey.Find)
        self.reload_action = self._action(
            "Re&load", self.reload, QKeySequence.StandardKey.Refresh, "Read the register again"
        )
        edit_menu.addActions([self.find_action, self.reload_action])
        del tab

        letters_menu = bar.addMenu("&Letters")
        self.mail_merge_action = self._action(
            "&Mail merge…",
            self.mail_merge,
            "Ctrl+M",
            "Letters from a template to the selected or shown schools, as PDF",
        )
        self.templates_action = self._action(
            "Letter &templates…",
            self.edit_templates,
            None,
            "The wording of the letters, with merge fields and a preview",
        )
        letters_menu.addActions([self.mail_merge_action, self.templates_action])

        settings_menu = bar.addMenu("Se&ttings")
        self.profile_action = self._action(
            "&Organisation profile…", self.edit_profile, None, "Who we are, printed on letters"
        )
        self.staff_action = self._action(
            "&Staff…", self.edit_staff, None, "The partnership's staff (link officers)"
        )
        self.users_action = self._action(
            "&Users…",
            self.edit_users,
            None,
            "Who may use this database, and their roles (an administrator changes them)",
        )
        settings_menu.addActions([self.profile_action, self.staff_action, self.users_action])
        settings_menu.addSeparator()
        self.audit_action = self._action(
            "&Audit trail…",
            self.show_audit_trail,
            None,
            "Who did what, and when: search, export and check the trail (administrators)",
        )
        settings_menu.addAction(self.audit_action)

        self.memberships_menu = bar.addMenu("Mem&berships")
        self._fill_memberships_menu()
        self.invoices_menu = bar.addMenu("In&voices")
        self._fill_invoices_menu()
        self.peer_reviews_menu = bar.addMenu("&Peer reviews")
        self._fill_peer_reviews_menu()
        self.governance_menu = bar.addMenu("G&overnance")
        # The annual report goes to the Advisory Council; the Dashboard has a button for it.
        self.annual_report_action = self._action(
            "&Annual report to the Advisory Council…",
            self.open_annual_report,
            "Ctrl+Shift+A",
            "Write the year's narrative, print the report with its figures and charts, "
            "and its Excel appendix",
        )
        self._fill_governance_menu()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed()

        # Before Help: the letters' tests keep Letters and Settings next to Edit.
        self.view_menu = bar.addMenu("&View")
        self._fill_view_menu()

        help_menu = bar.addMenu("&Help")
        self.log_folder_action = self._action(
            "Open &log folder",
            lambda: open_log_folder(self.open_url),
            tip="The folder of the program's log, where the details of any problem are kept",
        )
        help_menu.addAction(self.log_folder_action)
        help_menu.addSeparator()
        help_menu.addAction(self._action("&About", self.about))

    def _fill_memberships_menu(self) -> None:
        """The Memberships tab's actions (the tab is rebuilt when another database opens)."""
        tab = self.memberships_tab
        menu = self.memberships_menu
        menu.clear()
        menu.addAction(tab.new_action)
        menu.addSeparator()
        menu.addActions(tab.member_actions)
        menu.addAction(tab.payment_action)
        menu.addSeparator()
        menu.addActions(tab.letter_actions)
        menu.addAction(tab.history_action)
        menu.addSeparator()
        menu.addAction(
            self._action(
                "Register of &members…",
                self.show_members_register,
                None,
                "The statutory register of members as at a date, to print or save",
            )
        )
        menu.addAction(
            self._action(
                "E&xport to Excel…",
                self.export_members,
                None,
                "Save the members as shown to an Excel workbook or CSV file",
            )
        )
        menu.addSeparator()
        menu.addAction(
            self._action(
                "&Fee schedules…",
                self.edit_fee_schedules,
                None,
                "The fees of each academic year: rate per pupil, associate fee, fee periods",
            )
        )
        menu.addAction(
            self._action(
                "Membership &rules…",
                self.edit_membership_rules,
                None,
                "Notice to leave, leave-at-once windows, the guarantee and payment terms",
            )
        )

    def _fill_invoices_menu(self) -> None:
        """The Invoices tab's actions, section by section (the tab is rebuilt when another
        database opens)."""
        menu = self.invoices_menu
        menu.clear()
        sections = self.invoices_tab.menu_sections()
        for number, actions in enumerate(sections):
            if number:
                menu.addSeparator()
            menu.addActions(actions)

    def _fill_peer_reviews_menu(self) -> None:
        """The Peer reviews tab's actions, section by section (the tab is rebuilt when another
        database opens)."""
        menu = self.peer_reviews_menu
        menu.clear()
        for number, actions in enumerate(self.peer_reviews_tab.menu_sections()):
            if number:
                menu.addSeparator()
            menu.addActions(actions)

    def _fill_governance_menu(self) -> None:
        """The Governance tab's actions, section by section (the tab is rebuilt when another
        database opens)."""
        menu = self.governance_menu
        menu.clear()
        for number, actions in enumerate(self.governance_tab.menu_sections()):
            if number:
                menu.addSeparator()
            menu.addActions(actions)
        menu.addSeparator()
        menu.addAction(self.annual_report_action)

    def open_annual_report(self) -> None:
        """The annual report to the Advisory Council: its narrative, its PDF and appendix."""
        from thep_desktop.ui.annual_report.annual_report_dialog import open_annual_report

        open_annual_report(self.services, self)

    def _dashboard_changed(self, *_args: object) -> None:
        """Something was saved: the dashboard reads its figures again now if it is in view
        (else it does when it next comes into view)."""
        if self.tabs.currentWidget() is self.dashboard_tab:
            self.dashboard_tab.reload()

    def _tab_changed(self, *_args: object) -> None:
        """Ctrl+N makes a new record of the tab in view: a school, an application, an invoice."""
        current = self.tabs.currentWidget()
        if current is self.dashboard_tab:
            # Whatever was saved anywhere since (a tab, a menu's window, an import) shows:
            # its figures take a few hundredths of a second, and redraw only if they changed.
            self.dashboard_tab.reload()
        new = QKeySequence(QKeySequence.StandardKey.New)
        none = QKeySequence()
        self.new_school_action.setShortcut(new if current is self.schools_tab else none)
        self.school_profile_action.setShortcut(
            QKeySequence(PROFILE_KEY) if current is self.schools_tab else none
        )
        self.memberships_tab.new_action.setShortcut(
            new if current is self.memberships_tab else none
        )
        self.invoices_tab.shortcuts_on(current is self.invoices_tab)
        self.peer_reviews_tab.shortcuts_on(current is self.peer_reviews_tab)
        self.governance_tab.shortcuts_on(current is self.governance_tab)
        self._show_tab_counts()

    def show_members_register(self) -> None:
        """Memberships > Register of members: as at a date, as a PDF to print or a workbook."""
        from thep_desktop.ui.memberships.register_dialog import RegisterDialog

        self.run_dialog(RegisterDialog(self.services, self))

    def export_invoices(self) -> None:
        """Invoices > Export list to Excel: the invoices as shown (File > Export on that tab)."""
        self.tabs.setCurrentWidget(self.invoices_tab)
        self.export_current()

    def export_members(self) -> None:
        """Memberships > Export to Excel: the members as shown (File > Export on that tab)."""
        self.tabs.setCurrentWidget(self.memberships_tab)
        self.export_current()

    def edit_fee_schedules(self) -> None:
        from thep_desktop.ui.memberships.fee_schedules_dialog import FeeSchedulesDialog

        self.run_dialog(FeeSchedulesDialog(self.services, self))

    def edit_membership_rules(self) -> None:
        from thep_desktop.ui.memberships.membership_rules_dialog import MembershipRulesDialog

        self.run_dialog(MembershipRulesDialog(self.services, self))
        self.memberships_tab.reload()

    def focus_search(self) -> None:
        """Edit > Find: the search box of the tab in view."""
        if self.tabs.currentWidget() is self.memberships_tab:
            self.memberships_tab.focus_search()
        elif self.tabs.currentWidget() is self.invoices_tab:
            self.invoices_tab.focus_search()
        elif self.tabs.currentWidget() is self.peer_reviews_tab:
            self.peer_reviews_tab.focus_search()
        elif self.tabs.currentWidget() is self.governance_tab:
            self.governance_tab.focus_search()
        else:
            # The Dashboard has no search of its own: Find looks for a school.
            self.tabs.setCurrentWidget(self.schools_tab)
            self.schools_tab.focus_search()

    def _fill_view_menu(self) -> None:
        """The Schools tab's own view actions (the tab is rebuilt when another database opens)."""
        self.view_menu.clear()
        self.view_menu.addAction(self.schools_tab.details_action)
        self.columns_menu = self.view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(
            lambda: self.schools_tab.fill_columns_menu(self.columns_menu)
        )
        self.view_menu.addAction(self.schools_tab.reset_columns_action)

    # -- the open database ------------------------------------------------------------------
    def _show_database(self) -> None:
        description = self.services.db.describe()
        self.database_label.setText(str(description))
        self.database_label.setToolTip(str(description))
        actor = self.services.actor
        self.user_label.setText(f"{actor.name} ({actor.role.value})")
        self.user_label.setToolTip(f"Signed in as {actor.name}. {actor.role.words}.")
        try:
            name = self.services.organisation.get_profile(actor).name
        except ServiceError:
            name = ""
        read_only = self.services.db.read_only
        self.read_only_label.setVisible(read_only)
        network = self.services.db.network_location
        self.network_label.setVisible(bool(network))
        if network:
            self.network_label.setToolTip(network_warning(network))
        title = f"{APP_TITLE} – {name}" if name else APP_TITLE
        if self.show_offline_copy() is not None:
            title = f"{OFFLINE_COPY} – {title}"
        self.setWindowTitle(f"{title} – {READ_ONLY_NOTICE}" if read_only else title)
        self.take_copy_action.setEnabled(not self.services.db.is_sqlite and actor.can(VIEW))
        can_settings = actor.can(EDIT_SETTINGS)
        self.profile_action.setEnabled(actor.can(VIEW))
        self.staff_action.setEnabled(actor.can(VIEW))
        self.users_action.setEnabled(actor.can(VIEW))  # read only for all but admins
        self.demo_action.setEnabled(can_settings)
        can_edit = actor.can(EDIT_SCHOOLS)
        self.import_gias_action.setEnabled(can_edit)
        self.import_pupils_action.setEnabled(can_edit)
        self.mail_merge_action.setEnabled(actor.can(SEND_LETTERS))
        self.templates_action.setEnabled(actor.can(VIEW))  # read only for viewers
        self.restore_action.setEnabled(actor.can(RESTORE_BACKUPS))
        self.audit_action.setEnabled(actor.can(VIEW_AUDIT))

    def show_offline_copy(self) -> CopyInfo | None:
        """On an offline copy, the status bar says whose, since when, and what waits to be
        sent (counted off the window's thread); Synchronise is offered only there. The
        copy's header, or None."""
        info = is_offline_copy_file(self.services.db)
        self.sync_action.setEnabled(info is not None)
        self.offline_label.setVisible(info is not None)
        before = self.offline_info
        if info is None or before is None or before.path != info.path:
            self._offline_waiting = None  # another database: nothing counted yet
        self.offline_info = info
        if info is None:
            return None
        self._show_offline_words()
        # The copy's file by its name only, so the copy's own words fit beside it; the whole
        # path is in the tip, as it is for any database.
        self.database_label.setText(f"Copy file: {info.path.name}")
        self.offline_actions.counter.count(self.services.offline, info.path)
        return info

    def _offline_counted(self, path: str, waiting: int | None) -> None:
        info = self.offline_info
        if info is not None and str(info.path) == path:
            self._offline_waiting = waiting
            self._show_offline_words()

    def _show_offline_words(self) -> None:
        info = self.offline_info
        if info is None:
            return
        text = copy_words(info, self._offline_waiting)
        self.offline_label.setText(text)
        self.offline_label.setToolTip(
            f"{text}.\nThis is an offline copy of the office's database, kept in {info.path}. "
            "Invoices are issued at the office: File > Synchronise with the office sends what "
            "you change here, and brings in the office's changes."
        )

    def _show_counts(self, shown: int, total: int) -> None:
        noun = "school" if total == 1 else "schools"
        if shown == total:
            self._school_counts = f"{total:,} {noun} in the register"
        else:
            self._school_counts = f"{shown:,} of {total:,} {noun} shown"
        self._show_tab_counts()

    def _show_tab_counts(self) -> None:
        """The status bar counts what the tab in view lists: schools, or members; on the
        Dashboard it says which day (and academic year) the figures are for."""
        if self.tabs.currentWidget() is self.dashboard_tab:
            self.count_label.setText(self.dashboard_tab.status_text)
            self.count_label.setToolTip("The day the Dashboard's figures describe")
        elif self.tabs.currentWidget() is self.memberships_tab:
            self.count_label.setText(self.memberships_tab.count_label.text())
            self.count_label.setToolTip("Members shown in the table, and in all")
        elif self.tabs.currentWidget() is self.invoices_tab:
            self.count_label.setText(self.invoices_tab.count_label.text())
            self.count_label.setToolTip("Invoices and credit notes shown in the table, and in all")
        elif self.tabs.currentWidget() is self.peer_reviews_tab:
            self.count_label.setText(self.peer_reviews_tab.count_label.text())
            self.count_label.setToolTip("Reviews of the cycle shown, and in all")
        elif self.tabs.currentWidget() is self.governance_tab:
            self.count_label.setText(self.governance_tab.count_label.text())
            self.count_label.setToolTip("Meetings or actions shown, and in all")
        else:
            self.count_label.setText(getattr(self, "_school_counts", ""))
            self.count_label.setToolTip("Schools shown in the table, and in the register")

    def load(self) -> None:
        """Fill every tab from the database; then put right a mail merge killed part-way.
        The window shows the Dashboard when the database holds schools or members, else
        the Schools tab (where a new database starts)."""
        self.schools_tab.reload()
        self.memberships_tab.reload()
        self.invoices_tab.reload()
        self.peer_reviews_tab.reload()
        self.governance_tab.reload()
        holds_data = self.schools_tab.model.rowCount() > 0
        if not holds_data or self.tabs.currentWidget() is self.dashboard_tab:
            self.dashboard_tab.reload()  # (else it reads its figures as it comes into view)
            dashboard = self.dashboard_tab.dashboard
            holds_data = holds_data or (dashboard is not None and not dashboard.is_empty)
        self.tabs.setCurrentWidget(self.dashboard_tab if holds_data else self.schools_tab)
        network = self.services.db.network_location
        if network:  # said as the database opens, and kept in view in the status bar
            self.statusBar().showMessage(network_warning(network), 60_000)
        QTimer.singleShot(0, self, self.finish_unfinished_merges)
        if self.daily_backups:  # after the window shows; it never delays the start
            QTimer.singleShot(0, self, self.backup_actions.daily_backup)

    def finish_unfinished_merges(self) -> None:
        """A mail merge on this computer that stopped part-way (power cut, Task Manager) is
        finished or undone as the database opens, and the status bar says which."""
        try:
            notes = self.services.finish_unfinished_merges()
        except ServiceError:  # read-only, busy, or not allowed: the next mail merge does it
            return
        if notes:
            self.statusBar().showMessage(" ".join(notes), 30_000)

    def reload(self) -> None:
        if (
            self.schools_tab.reload()
            and self.memberships_tab.reload()
            and self.invoices_tab.reload()
            and self.peer_reviews_tab.reload()
            and self.governance_tab.reload()
            and self.dashboard_tab.reload()
        ):
            self.statusBar().showMessage("Reloaded from the database.", 4000)
        self.show_offline_copy()

    def _server_back(self) -> None:
        """The server answers again: the lists show what it holds now."""
        self.schools_tab.reload()
        self.schools_tab.show_detail()
        self.memberships_tab.reload()
        self.invoices_tab.reload()
        self.peer_reviews_tab.reload()
        self.governance_tab.reload()
        self._dashboard_changed()

    def switch_to(self, target: str | ServerLogin, *, create: bool = False) -> bool:
        """Open another database (``create``: a new one) and show it; if that fails, say why
        and keep the current one open. A server is opened with the password kept on this
        computer, else the one typed, else its password is asked for."""

        def open_url(url: str) -> tuple[Services, str]:
            # Another database knows this person by its own records: who they are is found anew.
            return self.opener(url, create=create)

        if not self._open_here(target):
            return False
        try:
            opened = open_database(self, target, open_url, self.ask_password)
        except DatabaseError as exc:
            self.tell(self, CANNOT_OPEN, refusal_text(exc))
            return False
        if opened is None:
            self.statusBar().showMessage(
                "Not connected: no password was given. The database open before is still open.",
                8000,
            )
            return False
        (services, note), login_note = opened
        old = self.services
        self.services = services
        self.database_wait.install(services)
        self.server_watch.install(services)
        self.undo_stack.clear()
        self.schools_tab.save_layout_now()
        self.tabs.currentChanged.disconnect(self._tab_changed)
        self.invoices_tab.wait_loaded()
        for tab in (self.dashboard_tab, *self._area_tabs()):
            self.tabs.removeTab(self.tabs.indexOf(tab))
            tab.deleteLater()
        self._build_tabs()
        self._fill_view_menu()
        self._fill_memberships_menu()
        self._fill_invoices_menu()
        self._fill_peer_reviews_menu()
        self._fill_governance_menu()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed()
        self._show_database()
        self.database_owner.claim(services.db.sqlite_path)
        self.load()
        old.close()
        config.remember_database_url(services.db.address)  # without its password
        said = note or f"Opened {services.db.describe()}."
        self.statusBar().showMessage(f"{said} {login_note}".strip(), 8000)
        if services.schools.count(services.actor) == 0:
            QTimer.singleShot(0, self.offer_demo)
        return True

    def _open_here(self, target: str | ServerLogin) -> bool:
        """A local file another window on this PC has open: show that one, or open it here too."""
        path = sqlite_file_of(target) if isinstance(target, str) else None
        if path is None or path == self.services.db.sqlite_path or not open_elsewhere(path):
            return True
        choice = self.ask(
            self,
            APP_TITLE,
            f"{path} is already open in another window of {APP_TITLE} on this computer. "
            "Two windows on one file work, but what is saved in one shows in the other only "
            "after Edit > Reload.",
            [SHOW_OTHER_WINDOW, "Open it here as well", "Cancel"],
        )
        if choice == SHOW_OTHER_WINDOW:
            if not hand_over(path):  # closed meanwhile: then it may open here
                return True
            self.statusBar().showMessage(f"{path.name} is open in the other window.", 8000)
            return False
        return choice != "Cancel"

    def bring_to_front(self) -> None:
        """Another start of the program on this database: show this window instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        # Windows may refuse focus to a window that is not in front: flash it in the taskbar.
        QApplication.alert(self)
        self.statusBar().showMessage(
            "The program was started again on this database: this is its window.", 8000
        )

    def new_database(self) -> None:
        url = ask_new_database_file(self, self.tell)
        if url is not None:
            self.switch_to(url, create=True)

    def open_database_file(self) -> None:
        url = ask_database_file(self)
        if url is not None:
            self.switch_to(url)

    def connect_to_server(self) -> None:
        previous = next(
            (u for u in config.recent_database_urls() if u.startswith("postgresql")), None
        )
        login = ask_server_address(self, previous)
        if login is not None:
            self.switch_to(login)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = config.without_password(self.services.db.address)
        urls = [u for u in config.recent_database_urls() if u != current]
        if not urls:
            action = self.recent_menu.addAction("(none)")
            action.setEnabled(False)
            return
        for url in urls:
            shown = url.removeprefix("sqlite:///")
            self.recent_menu.addAction(shown, lambda u=url: self._open_recent(u))

    def _open_recent(self, url: str) -> None:
        self.switch_to(url)  # a server with its kept password, else asked for

    # -- demo data --------------------------------------------------------------------------
    def offer_demo(self) -> None:
        """On an empty register, offer the fictional borough (once per database)."""
        services = self.services
        if not services.actor.can(EDIT_SETTINGS) or services.db.read_only:
            return
        if services.schools.count(services.actor) != 0:
            return
        url = config.without_password(services.db.address)
        settings = config.load_settings()
        declined = settings.get("demo_declined", [])
        if isinstance(declined, list) and url in declined:
            return
        answer = self.ask(
            self,
            "An empty register",
            "This database has no schools yet.\n\nLoad demo data (a fictional London borough of "
            "about 90 schools with contacts and link officers) to try the program out?\n\n"
            "You can also add schools yourself, or import them later.",
            ["Load demo data", "Start empty"],
        )
        if answer == "Load demo data":
            self.load_demo(confirm=False)
        else:
            settings["demo_declined"] = [*(declined if isinstance(declined, list) else []), url]
            config.save_settings(settings)

    def load_demo(self, *, confirm: bool = True) -> None:
        from thep_desktop.services.demo.demo_service import DemoService

        services = self.services
        count = services.schools.count(services.actor)
        if count:
            self.tell(
                self,
                "Demo data",
                f"This register already has {count:,} schools. Demo data only goes into an "
                "empty register: use File > New database first.",
            )
            return
        if (
            confirm
            and self.ask(
                self,
                "Demo data",
                "Fill this empty register with a fictional borough of about 90 schools?",
                ["Load demo data", "Cancel"],
            )
            != "Load demo data"
        ):
            return
        demo = DemoService(services.db)
        self.demo_job = BackgroundJob(
            self,
            "Loading demo data…",
            lambda progress: demo.load(services.actor, progress),
            on_done=self._demo_loaded,
            on_error=lambda exc: self.tell(self, "Demo data was not loaded", str(exc)),
            on_cancel=lambda: self.statusBar().showMessage(
                "Demo data cancelled: nothing was added.", 8000
            ),
        ).start()

    def _demo_loaded(self, summary: object) -> None:
        self.load()
        self._show_database()
        self.statusBar().showMessage(f"Demo data loaded: {summary}", 8000)

    # -- export -----------------------------------------------------------------------------
    def _update_export_action(self, *_args: object) -> None:
        self.export_action.setEnabled(isinstance(self.tabs.currentWidget(), Exportable))

    def export_current(self) -> None:
        """File > Export: the current tab's table as shown (or with every field) to Excel or CSV."""
        tab = self.tabs.currentWidget()
        if not isinstance(tab, Exportable):
            return
        if self.export_job is not None and self.export_job.thread.isRunning():
            return
        request = tab.export_request()
        description = self.services.db.describe()
        source = (
            description.location
            if description.kind == "sqlite"
            else f"the server {description.location}"
        )
        build_all = request.all_fields
        rows = request.view.model().rowCount()
        if build_all is not None and rows:
            answer = self.ask(
                self,
                "Export",
                f"What should the file hold for the {rows:,} {'row' if rows == 1 else 'rows'} "
                "shown?\n\n"
                "As shown: the columns on screen, in the table's order.\n\n"
                f"All fields: every field: {request.all_fields_help}",
                ["As shown", "All fields", "Cancel"],
            )
            if answer == "Cancel":
                return
            if answer == "All fields":
                self.export_job = export_built(
                    self,
                    request.title,
                    rows,
                    lambda: build_all(source),
                    default_file_name(request, all_fields=True),
                    **self._export_answers(),
                )
                return
        self.export_job = export_view(
            self,
            request.view,
            request.title,
            request.subtitle,
            default_file_name(request),
            source=source,
            **self._export_answers(),
        )

    def _export_answers(self) -> dict[str, Any]:
        """How an export asks and tells (tests replace these on the window)."""
        return {
            "ask_path": self.ask_save_path,
            "ask": self.ask,
            "tell": self.tell,
            "open_url": self.open_url,
            "show_status": lambda text: self.statusBar().showMessage(text, 10000),
        }

    # -- imports ----------------------------------------------------------------------------
    def import_file(self, kind: str) -> None:
        """Preview and apply a GIAS extract or a pupil-numbers sheet, then show the result."""
        from thep_desktop.ui.import_export.import_dialog import ImportDialog

        la_code = ""
        try:
            la_code = self.services.organisation.get_profile(self.services.actor).la_code
        except ServiceError:
            pass
        dialog = ImportDialog(self.services, kind, self, default_la=la_code)
        dialog.applied.connect(lambda result: self._imported(result))
        self.run_dialog(dialog)

    def _imported(self, result: object) -> None:
        self.schools_tab.reload()
        self.statusBar().showMessage(f"Imported: {result}.", 8000)

    def run_dialog(self, dialog: QDialog) -> None:
        """Show a dialog and wait for it (tests replace this to drive it without blocking)."""
        dialog.exec()

    # -- letters ----------------------------------------------------------------------------
    def mail_merge(self) -> None:
        """Letters to the schools selected or shown in the Schools tab, or to all open ones."""
        from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog

        tab = self.schools_tab
        dialog = MailMergeDialog(self.services, tab.selected_ids(), tab.shown_ids(), self)
        dialog.produced.connect(self._letters_produced)
        self.run_dialog(dialog)

    def _letters_produced(self, result: object) -> None:
        self.schools_tab.show_detail()  # the selected school's letters now include these
        self.statusBar().showMessage(f"Letters produced: {result}.", 8000)

    def edit_templates(self) -> None:
        from thep_desktop.ui.letters.templates_dialog import TemplatesDialog

        self.run_dialog(TemplatesDialog(self.services, self))

    # -- settings ---------------------------------------------------------------------------
    def edit_profile(self) -> None:
        from thep_desktop.ui.settings.organisation_dialog import OrganisationDialog

        OrganisationDialog(self.services, self).exec()
        self._show_database()

    def edit_staff(self) -> None:
        from thep_desktop.ui.settings.staff_dialog import StaffDialog

        StaffDialog(self.services, self).exec()
        self.schools_tab.reload()  # link officers' names may have changed

    def show_audit_trail(self) -> None:
        if not self.services.actor.can(VIEW_AUDIT):
            return  # the menu item is disabled too; the service would refuse anyway
        from thep_desktop.ui.audit.audit_dialog import AuditDialog

        self.run_dialog(AuditDialog(self.services, self))

    def edit_users(self) -> None:
        from thep_desktop.ui.users.users_dialog import UsersDialog

        me = self.services.actor
        self.run_dialog(UsersDialog(self.services, self))
        try:
            now = self.services.users.get_user(me, me.name).role
        except ServiceError:
            return
        if now != me.role:  # an administrator changed their own role: it applies now
            self.switch_to(self.services.db.address)

    def about(self) -> None:
        AboutDialog(str(self.services.db.describe()), self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        jobs = (self.demo_job, self.export_job, self.backup_actions.job, self.offline_actions.job)
        for job in jobs:
            if job is not None and job.thread.isRunning():
                job.cancel()
                job.wait()
        self.invoices_tab.wait_loaded()
        self.offline_actions.counter.wait()
        self.server_watch.stop()
        self.database_owner.release()
        self.schools_tab.save_layout_now()
        self.services.close()
        super().closeEvent(event)
