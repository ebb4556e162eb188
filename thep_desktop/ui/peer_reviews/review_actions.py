"""What the Peer reviews tab's buttons, menu and keys do: reviews, statuses, schedule, clusters.

A mixin of :class:`~thep_desktop.ui.peer_reviews.peer_reviews_tab.PeerReviewsTab`. Each
action reads what it changes afresh, asks what it must, saves through the service (a refusal
is shown in the service's words, nothing changed) and reads the cycle again. The forms
(review, cycle, term dates, clusters, status) are dialogs of their own; they are opened
through ``run_dialog`` and the tab reads the cycle again when one is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.peer_reviews.peer_reviews_permissions import (
    EDIT_TERM_DATES,
    MANAGE_REVIEWS,
)
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    CycleDetail,
    ReviewDetail,
    SavedReview,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.ui.peer_reviews.reviews_table_model import ReviewRow

# The sections of the Peer reviews menu, the toolbar and the context menu, in order. Other
# parts of the program (confirmation letters, exports of the schedule and calendar) place
# their actions in OUTPUT with ``tab.add_action(action, OUTPUT, toolbar=True, ...)``.
NEW, SELECTED, STATUS, SCHEDULE, OUTPUT, CYCLE, CLUSTERS = (
    "new",
    "selected",
    "status",
    "schedule",
    "output",
    "cycle",
    "clusters",
)
SECTIONS = (NEW, SELECTED, STATUS, SCHEDULE, OUTPUT, CYCLE, CLUSTERS)

# The status steps offered as actions: (status, the action's words, the statuses it follows).
STATUS_STEPS = (
    (ReviewStatus.COMPLETED, "Mark visit &completed…", (ReviewStatus.CONFIRMED,)),
    (ReviewStatus.REPORT_RECEIVED, "&Report received…", (ReviewStatus.COMPLETED,)),
    (
        ReviewStatus.QUALITY_ASSURED,
        "&Quality-assured…",
        (ReviewStatus.REPORT_RECEIVED, ReviewStatus.QUALITY_ASSURED),
    ),
)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def one_row(rows: Sequence[ReviewRow]) -> bool:
    return len(rows) == 1


def one_proposed(rows: Sequence[ReviewRow]) -> bool:
    return len(rows) == 1 and rows[0].review.status is ReviewStatus.PROPOSED


def some_proposed(rows: Sequence[ReviewRow]) -> bool:
    return any(r.review.status is ReviewStatus.PROPOSED for r in rows)


def one_beyond_proposed(rows: Sequence[ReviewRow]) -> bool:
    return len(rows) == 1 and rows[0].review.status is not ReviewStatus.PROPOSED


class ReviewActions:
    """New, edit and delete reviews; statuses; generate, check, confirm; cycles and clusters."""

    # What the tab provides (see PeerReviewsTab).
    services: Services
    status_message: Signal
    changed: Signal
    ask: Callable[..., str]
    tell: Callable[..., object]
    run_dialog: Callable[[QDialog], object]
    show_window: Callable[[QDialog], object]
    cycle: CycleDetail | None
    cycles: list[CycleDetail]
    choose_cycle: Callable[[int], None]
    show_review: Callable[[int], None]
    clusters: list[ClusterDetail]
    check_dialog: QDialog | None
    selected_rows: Callable[[], list[ReviewRow]]
    shown_rows: Callable[[], list[ReviewRow]]
    cluster_filter: QComboBox
    export_job: object = None
    reload: Callable[..., bool]
    action: Callable[..., QAction]
    add_action: Callable[..., QAction]
    chosen_cluster: Callable[[], ClusterDetail | None]
    table: QWidget

    def build_review_actions(self) -> None:
        """The tab's own actions, placed in the menu, toolbar and context menus."""
        add = self.add_action
        has_cycle: Callable[[Sequence[ReviewRow]], bool] = lambda _rows: self.cycle is not None  # noqa: E731
        self.new_action = add(
            self.action(
                "&New review…",
                self.new_review,
                "A review added by hand to the cycle (double-click a day in the calendar to "
                "give it that day)",
                "Ctrl+N",
            ),
            NEW,
            permission=MANAGE_REVIEWS,
            applies=has_cycle,
            toolbar=True,
        )
        self.edit_action = add(
            self.action(
                "&Edit review…",
                self.edit_selected,
                "Change the selected review's date, team, reviewers or focus (Enter or "
                "double-click)",
            ),
            SELECTED,
            permission=MANAGE_REVIEWS,
            applies=one_row,
            toolbar=True,
            context=True,
        )
        self.open_action = add(
            self.action(
                "&Open review…",
                self.edit_selected,
                "Show the selected review: its date, team, reviewers, focus and status (Enter "
                "or double-click)",
            ),
            SELECTED,
            applies=lambda rows: one_row(rows) and not self._can(MANAGE_REVIEWS),
            context=True,
        )
        self.delete_action = add(
            self.action(
                "&Delete review…",
                self.delete_selected,
                "Remove the selected review while it is only proposed (Delete)",
            ),
            SELECTED,
            permission=MANAGE_REVIEWS,
            applies=one_proposed,
            context=True,
        )
        self.history_action = add(
            self.action(
                "&History…",
                self.show_history,
                "Everything changed in the selected review",
                "Ctrl+H",
            ),
            SELECTED,
            applies=one_row,
            context=True,
        )
        # Ctrl+H in the table, as in the other tabs.
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.history_action)
        self.confirm_action = add(
            self.action(
                "C&onfirm",
                self.confirm_selected,
                "Confirm the selected proposed reviews with their schools: the dates are then "
                "kept when the schedule is generated again",
                "Ctrl+Shift+C",
            ),
            STATUS,
            permission=MANAGE_REVIEWS,
            applies=some_proposed,
            toolbar=True,
            context=True,
        )
        self.status_actions: dict[ReviewStatus, QAction] = {}
        for status, words, after in STATUS_STEPS:
            self.status_actions[status] = add(
                self.action(
                    words,
                    lambda s=status: self.set_selected_status(s),
                    f"Record that the selected review is {status.label.lower()}, and when",
                ),
                STATUS,
                permission=MANAGE_REVIEWS,
                applies=lambda rows, a=after: len(rows) == 1 and rows[0].review.status in a,
                context=True,
            )
        self.back_action = add(
            self.action(
                "&Back to proposed…",
                self.back_to_proposed,
                "The visit is not happening as confirmed: it becomes a proposal again and its "
                "later dates are cleared",
            ),
            STATUS,
            permission=MANAGE_REVIEWS,
            applies=one_beyond_proposed,
            context=True,
        )
        self.generate_action = add(
            self.action(
                "&Generate schedule…",
                self.generate_schedule,
                "Propose a fair schedule for one or more clusters, look at it, then apply it",
                "Ctrl+G",
            ),
            SCHEDULE,
            permission=MANAGE_REVIEWS,
            applies=has_cycle,
            toolbar=True,
        )
        self.check_action = add(
            self.action(
                "Chec&k",
                self.check_schedule,
                "Every rule of the cycle the reviews break, as they stand, in words",
                "F7",
            ),
            SCHEDULE,
            applies=has_cycle,
            toolbar=True,
        )
        self.new_cycle_action = add(
            self.action(
                "New c&ycle…", self.new_cycle, "Start the peer reviews of another academic year"
            ),
            CYCLE,
            permission=MANAGE_REVIEWS,
        )
        self.cycle_settings_action = add(
            self.action(
                "Cycle &settings…",
                self.edit_cycle,
                "The cycle's rules: team size, reviews each school gives, terms, focus",
            ),
            CYCLE,
            permission=MANAGE_REVIEWS,
            applies=has_cycle,
        )
        self.term_dates_action = add(
            self.action(
                "&Term dates…",
                self.edit_term_dates,
                "The cycle's year: term dates, half terms and the schools' closure days",
            ),
            CYCLE,
            permission=EDIT_TERM_DATES,
            applies=has_cycle,
        )
        self.new_cluster_action = add(
            self.action(
                "New cl&uster…", self.new_cluster, "A cluster of schools that review each other"
            ),
            CLUSTERS,
            permission=MANAGE_REVIEWS,
        )
        self.edit_cluster_action = add(
            self.action(
                "Edit cluste&r…", self.edit_cluster, "The chosen cluster's schools and lead contact"
            ),
            CLUSTERS,
            permission=MANAGE_REVIEWS,
            applies=lambda _rows: self.chosen_cluster() is not None,
        )
        self.delete_cluster_action = add(
            self.action(
                "Delete cl&uster…",
                self.delete_cluster,
                "Delete the chosen cluster (one with reviews is retired instead)",
            ),
            CLUSTERS,
            permission=MANAGE_REVIEWS,
            applies=lambda _rows: self.chosen_cluster() is not None,
        )
        self.propose_clusters_action = add(
            self.action(
                "&Propose clusters…",
                self.propose_clusters,
                "Clusters made from the register (by trust, phase or diocese), to edit and save",
            ),
            CLUSTERS,
            permission=MANAGE_REVIEWS,
        )

    # -- helpers ----------------------------------------------------------------------------
    def _can(self, permission: Permission) -> bool:
        return self.services.actor.can(permission)

    def _read(self, review_id: int, doing: str) -> ReviewDetail | None:
        """The review read afresh; None (having said why) when it is gone."""
        try:
            return self.services.reviews.get_review(self.services.actor, review_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing}", exc.message)
            self.reload()
            return None

    def show_changed(self, review_ids: Sequence[int], message: str) -> None:
        """After a change: read the cycle again with these selected, and say what was done."""
        self.reload(select_ids=list(review_ids))
        self.status_message.emit(message)
        self.changed.emit()

    def _review_ids(self) -> set[int]:
        if self.cycle is None:
            return set()
        return {
            r.id for r in self.services.reviews.list_reviews(self.services.actor, self.cycle.id)
        }

    # -- reviews ----------------------------------------------------------------------------
    def new_review(self, starts_on: date | None = None) -> None:
        """A review added by hand (``starts_on``: the day double-clicked in the calendar)."""
        if not self._can(MANAGE_REVIEWS) or self.cycle is None:
            return
        self._open_editor(self.cycle.id, None, starts_on)

    def edit_selected(self) -> None:
        """Enter or double-click: the selected review, to change (or to read, for a viewer)."""
        rows = self.selected_rows()
        if len(rows) == 1:
            self.open_review(rows[0].id)

    def open_review(self, review_id: int) -> None:
        """The review editor on one review (Enter, double-click, a link in the Schools view);
        read only for those who may not change reviews."""
        detail = self._read(review_id, "open this review")
        if detail is not None:
            self._open_editor(detail.cycle_id, review_id, None)

    def _open_editor(self, cycle_id: int, review_id: int | None, starts_on: date | None) -> None:
        from thep_desktop.ui.peer_reviews.review_editor import ReviewEditor

        try:
            editor = ReviewEditor(self.services, cycle_id, review_id, self, None, starts_on)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot open the review", exc.message)
            return
        editor.ask = self.ask
        editor.tell = self.tell
        editor.run_dialog = self.run_dialog
        editor.saved.connect(self._review_saved)
        self.run_dialog(editor)

    def _review_saved(self, saved: SavedReview) -> None:
        review = saved.review
        message = f"Review at {review.host_name} ({review.visit_label}) saved."
        if saved.warnings:
            count = len(saved.warnings)
            message += f" ⚠ {count} warning{'' if count == 1 else 's'}: {saved.warnings[0].message}"
        self.show_changed([review.id], message)

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not self._can(MANAGE_REVIEWS) or not one_proposed(rows):
            return
        detail = self._read(rows[0].id, "delete this review")
        if detail is None:
            return
        answer = self.ask(
            self,
            "Delete review",
            f"Delete the proposed review at {detail.host_name} ({detail.visit_label})? It has "
            "not been confirmed with the schools.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.reviews.delete_review(self.services.actor, detail.id, detail.version)
        except ServiceError as exc:
            self.tell(self, "The review was not deleted", exc.message)
            self.reload()
            return
        self.show_changed([], f"Review at {detail.host_name} deleted.")

    def show_history(self) -> None:
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        rows = self.selected_rows()
        if len(rows) != 1:
            return
        review = rows[0].review
        title = f"Peer review at {review.host_name} – {review.visit_label}"
        self.run_dialog(HistoryDialog(self.services, title, review.uuid, self))  # type: ignore[arg-type]

    # -- statuses ---------------------------------------------------------------------------
    def confirm_selected(self) -> None:
        rows = self.selected_rows()
        if not self._can(MANAGE_REVIEWS) or not some_proposed(rows):
            return
        proposed = [r.review for r in rows if r.review.status is ReviewStatus.PROPOSED]
        undated = [r.host_name for r in proposed if r.starts_on is None or not r.team]
        if undated:
            self.tell(
                self,
                "Not confirmed",
                "A review is confirmed only with a visit date and its reviewing schools. Give "
                f"them first to: {', '.join(undated)}.",
            )
            return
        warned = sum(1 for r in rows if r.warnings and r.review.status is ReviewStatus.PROPOSED)
        what = (
            f"the review at {proposed[0].host_name} ({proposed[0].visit_label})"
            if len(proposed) == 1
            else f"{len(proposed)} proposed reviews"
        )
        note = (
            f"\n\n{_plural(warned, 'of them breaks', 'of them break')} a rule of the cycle "
            "(see the Warnings column)."
            if warned
            else ""
        )
        answer = self.ask(
            self,
            "Confirm reviews",
            f"Confirm {what} as agreed with the schools, dated today?{note}",
            ["Confirm", "Cancel"],
        )
        if answer != "Confirm":
            return
        try:
            count = self.services.reviews.confirm_reviews(
                self.services.actor, [r.id for r in proposed]
            )
        except ServiceError as exc:
            self.tell(self, "Not confirmed", exc.message)
            self.reload()
            return
        self.show_changed(
            [r.id for r in proposed], f"{_plural(count, 'review', 'reviews')} confirmed."
        )

    def set_selected_status(self, status: ReviewStatus) -> None:
        """Completed, report received or quality-assured: the date (and the outcome)."""
        rows = self.selected_rows()
        if not self._can(MANAGE_REVIEWS) or len(rows) != 1:
            return
        from thep_desktop.ui.peer_reviews.status_dialog import StatusDialog

        detail = self._read(rows[0].id, "change this review")
        if detail is None:
            return
        dialog = StatusDialog(self.services, detail, status, self)  # type: ignore[arg-type]
        # The form is accepted once the service saved the step.
        dialog.accepted.connect(
            lambda: self.show_changed(
                [detail.id], f"Review at {detail.host_name}: {status.label.lower()}."
            )
        )
        self.run_dialog(dialog)

    def back_to_proposed(self) -> None:
        rows = self.selected_rows()
        if not self._can(MANAGE_REVIEWS) or not one_beyond_proposed(rows):
            return
        detail = self._read(rows[0].id, "change this review")
        if detail is None:
            return
        answer = self.ask(
            self,
            "Back to proposed",
            f"The review at {detail.host_name} ({detail.visit_label}) is "
            f"{detail.status.label.lower()}. Make it a proposal again? The dates it was "
            "confirmed, completed and so on are cleared; its visit date and team stay.",
            ["Back to proposed", "Cancel"],
        )
        if answer != "Back to proposed":
            return
        try:
            self.services.reviews.set_status(
                self.services.actor,
                detail.id,
                ReviewStatus.PROPOSED,
                detail.status_dates.get(ReviewStatus.PROPOSED) or date.today(),
                detail.version,
            )
        except ServiceError as exc:
            self.tell(self, "Not changed", exc.message)
            self.reload()
            return
        self.show_changed([detail.id], f"Review at {detail.host_name} is proposed again.")

    # -- the schedule -----------------------------------------------------------------------
    def generate_schedule(self) -> None:
        if not self._can(MANAGE_REVIEWS) or self.cycle is None:
            return
        from thep_desktop.ui.peer_reviews.generate_dialog import GenerateDialog

        try:
            dialog = GenerateDialog(self.services, self.cycle.id, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot generate a schedule", exc.message)
            return
        dialog.tell = self.tell
        dialog.applied.connect(
            lambda count: self.show_changed(
                [], f"Schedule applied: {_plural(count, 'review', 'reviews')} proposed."
            )
        )
        self.run_dialog(dialog)

    def build_output_actions(self) -> None:
        """Letters and files made from the schedule: confirmations, the schedule, calendars."""
        has_cycle: Callable[[Sequence[ReviewRow]], bool] = lambda _rows: self.cycle is not None  # noqa: E731
        self.letters_action = self.add_action(
            self.action(
                "Print &confirmation letters…",
                self.print_confirmations,
                "Letters confirming the visit to the host and to each reviewing school, for "
                "the selected reviews (or every review shown when none is selected)",
                "Ctrl+P",
            ),
            OUTPUT,
            permission=MANAGE_REVIEWS,
            applies=has_cycle,
            toolbar=True,
            context=True,
        )
        self.export_schedule_action = self.add_action(
            self.action(
                "Export &schedule…",
                self.export_schedule,
                "The schedule (the cluster chosen above, or the whole cycle) as a PDF on the "
                "letterhead or an Excel workbook",
            ),
            OUTPUT,
            applies=has_cycle,
        )
        self.export_calendar_action = self.add_action(
            self.action(
                "Export c&alendar…",
                self.export_calendar,
                "Calendar files (.ics) for Outlook, Google or Apple Calendar: one for the whole "
                "cycle and one for each school; importing them again updates the visits",
            ),
            OUTPUT,
            applies=has_cycle,
        )

    def print_confirmations(self) -> None:
        from thep_desktop.ui.peer_reviews.confirmation_letters import print_confirmations

        if self.cycle is None:
            return
        rows = self.selected_rows() or self.shown_rows()
        if not rows:
            self.tell(self.table, "Confirmation letters", "There are no reviews to confirm here.")
            return
        print_confirmations(
            self.services, self.cycle.id, [row.id for row in rows], self.table, self.run_dialog
        )

    def export_schedule(self) -> None:
        from thep_desktop.ui.peer_reviews.export_actions import export_schedule

        if self.cycle is None:
            return
        # The cluster the schedule is filtered to, or the whole cycle.
        cluster_id = self.cluster_filter.currentData()
        self.export_job = export_schedule(self.services, self.cycle.id, self.table, cluster_id)

    def export_calendar(self) -> None:
        from thep_desktop.ui.peer_reviews.export_actions import export_calendar

        if self.cycle is None:
            return
        self.export_job = export_calendar(self.services, self.cycle.id, self.table)

    def check_schedule(self) -> None:
        """Every breach of the cycle's rules, grouped by rule; a click selects the review."""
        if self.cycle is None:
            return
        from thep_desktop.ui.peer_reviews.check_dialog import CheckDialog

        try:
            breaches = self.services.scheduling.check(self.services.actor, self.cycle.id)
        except ServiceError as exc:
            self.tell(self, "The schedule was not checked", exc.message)
            return
        names = {s.school_id: s.name for c in self.clusters for s in c.schools}
        dialog = CheckDialog(self.cycle.title, breaches, names, self)  # type: ignore[arg-type]
        dialog.review_chosen.connect(self.show_review)
        if self.check_dialog is not None:  # one Check window: the latest
            self.check_dialog.close()
            self.check_dialog.deleteLater()
        self.check_dialog = dialog
        self.show_window(dialog)

    # -- the cycle --------------------------------------------------------------------------
    def new_cycle(self) -> None:
        """Another year's cycle; once saved it is the cycle shown."""
        if not self._can(MANAGE_REVIEWS):
            return
        from thep_desktop.ui.peer_reviews.cycle_dialog import CycleDialog

        dialog = CycleDialog(self.services, None, self)  # type: ignore[arg-type]
        dialog.saved.connect(lambda cycle: self._cycle_saved(cycle, f"{cycle.title} started."))
        self.run_dialog(dialog)

    def edit_cycle(self) -> None:
        if not self._can(MANAGE_REVIEWS) or self.cycle is None:
            return
        from thep_desktop.ui.peer_reviews.cycle_dialog import CycleDialog

        cycle = self.cycle
        dialog = CycleDialog(self.services, cycle.id, self, cycle.year)  # type: ignore[arg-type]
        dialog.saved.connect(
            lambda saved: self._cycle_saved(saved, f"{saved.title}: settings saved.")
        )
        self.run_dialog(dialog)

    def _cycle_saved(self, cycle: CycleDetail, message: str) -> None:
        """A cycle started or changed: it is the cycle shown."""
        self.reload()
        self.choose_cycle(cycle.id)
        self.status_message.emit(message)
        self.changed.emit()

    def edit_term_dates(self) -> None:
        """The cycle's year: its terms (saved with Ctrl+S, the calendar follows at once) and
        the schools' closure days (saved as each is added); the tab reads them on closing."""
        if not self._can(EDIT_TERM_DATES) or self.cycle is None:
            return
        from thep_desktop.ui.peer_reviews.term_dates_dialog import TermDatesDialog

        year = self.cycle.year
        try:
            dialog = TermDatesDialog(self.services, year, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot show the term dates", exc.message)
            return
        dialog.ask = self.ask
        dialog.tell = self.tell
        dialog.run_dialog = self.run_dialog
        dialog.saved.connect(
            lambda _terms: self.show_changed(
                [r.id for r in self.selected_rows()], f"Term dates of {year.label} saved."
            )
        )
        dialog.finished.connect(lambda _result: self.reload())
        self.run_dialog(dialog)

    # -- clusters ---------------------------------------------------------------------------
    def new_cluster(self) -> None:
        if self._can(MANAGE_REVIEWS):
            self._open_cluster(None)

    def edit_cluster(self) -> None:
        """The chosen cluster, to change (double-click: to read, for one who may not)."""
        cluster = self.chosen_cluster()
        if cluster is not None:
            self._open_cluster(cluster.id)

    def _open_cluster(self, cluster_id: int | None) -> None:
        from thep_desktop.ui.peer_reviews.cluster_editor import ClusterEditor

        try:
            editor = ClusterEditor(self.services, cluster_id, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot open the cluster", exc.message)
            return
        editor.ask = self.ask
        editor.saved.connect(
            lambda cluster: self.show_changed(
                [r.id for r in self.selected_rows()],
                f"Cluster {cluster.name} saved ({len(cluster.schools)} schools).",
            )
        )
        self.run_dialog(editor)

    def delete_cluster(self) -> None:
        cluster = self.chosen_cluster()
        if not self._can(MANAGE_REVIEWS) or cluster is None:
            return
        answer = self.ask(
            self,
            "Delete cluster",
            f"Delete the cluster {cluster.name} "
            f"({_plural(len(cluster.schools), 'school', 'schools')})? The schools stay in the "
            "register.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.clusters.delete_cluster(self.services.actor, cluster.id, cluster.version)
        except ServiceError as exc:
            self.tell(self, "The cluster was not deleted", exc.message)
            self.reload()
            return
        self.show_changed([], f"Cluster {cluster.name} deleted.")

    def propose_clusters(self) -> None:
        """Clusters proposed from the register; those saved show as they are saved."""
        if not self._can(MANAGE_REVIEWS):
            return
        from thep_desktop.ui.peer_reviews.cluster_editor import ProposeClustersDialog

        try:
            dialog = ProposeClustersDialog(self.services, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot propose clusters", exc.message)
            return
        dialog.tell = self.tell
        dialog.saved.connect(
            lambda saved: self.show_changed(
                [r.id for r in self.selected_rows()],
                f"{_plural(len(saved), 'cluster', 'clusters')} saved from the register.",
            )
        )
        self.run_dialog(dialog)
