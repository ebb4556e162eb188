"""What the Schools tab's buttons, keys and Edit menu do: new, edit, close and delete a school.

A mixin of :class:`~thep_desktop.ui.schools.schools_tab.SchoolsTab` rather than an object of
its own: each action reads the table's selection, asks or tells the user, puts the outcome
into the table and onto the undo stack, and reports in the status bar, so it needs the whole
tab at every step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QInputDialog, QTableView

from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.schools.schools_service import SchoolDetail
from thep_desktop.services.shared.errors import NotFoundError, ServiceError
from thep_desktop.ui.schools.school_commands import (
    CreateSchoolCommand,
    DeleteSchoolCommand,
    EditSchoolCommand,
)
from thep_desktop.ui.schools.schools_table_model import SchoolsFilterProxy, SchoolsTableModel


class SchoolActions:
    """New, Edit (or View), Close and Delete, each undoable, and what follows a failed undo."""

    # What the tab provides (see SchoolsTab).
    services: Services
    undo_stack: QUndoStack
    model: SchoolsTableModel
    proxy: SchoolsFilterProxy
    table: QTableView
    status_message: Signal
    ask: Callable[..., str]
    tell: Callable[..., object]
    run_dialog: Callable[[QDialog], object]
    selected_id: Callable[[], int | None]
    select_ids: Callable[[list[int]], None]
    update_counts: Callable[..., None]
    reload: Callable[[], None]
    memberships: dict[int, str]

    def new_school(self) -> None:
        if not self.services.actor.can(EDIT_SCHOOLS):
            return
        from thep_desktop.ui.schools.school_dialog import SchoolDialog

        dialog = SchoolDialog(self.services, None, self)
        dialog.saved.connect(self._created)
        self.run_dialog(dialog)

    def edit_selected(self) -> None:
        school_id = self.selected_id()
        if school_id is None:
            return
        try:
            from thep_desktop.ui.schools.school_dialog import SchoolDialog

            dialog = SchoolDialog(self.services, school_id, self)
        except ServiceError as exc:
            self.tell(self, "Cannot open this school", exc.message)
            self.reload()
            return
        dialog.saved.connect(lambda detail: self._edited(dialog.before, detail))
        self.run_dialog(dialog)

    def _created(self, detail: SchoolDetail) -> None:
        if not self.show_saved(detail):
            return
        self.undo_stack.push(CreateSchoolCommand(self, detail))
        self.status_message.emit(f"Added {detail.name} (URN {detail.urn}).")

    def _edited(self, before: SchoolDetail | None, detail: SchoolDetail) -> None:
        if not self.show_saved(detail):
            return
        if before is not None:
            self.undo_stack.push(EditSchoolCommand(self, before, detail, f"edit {detail.name}"))
        self.status_message.emit(f"Saved {detail.name}.")

    def show_saved(self, detail: SchoolDetail) -> bool:
        """Put a saved school into the table (one query), keeping sort and filter.

        False when a colleague removed it in the instant since (the table is read again and
        says so): there is nothing left to undo.
        """
        try:
            row = self.services.schools.school_row(self.services.actor, detail.id)
            row = row._replace(membership=self.memberships.get(row.id, ""))
        except NotFoundError:
            # Saved, then removed by a colleague in that very instant: show the register as
            # it now is rather than a row that is no longer there.
            self.reload()
            self.status_message.emit(f"{detail.name} was removed from the register meanwhile.")
            return False
        if not self.model.replace_row(row):
            self.model.add_row(row)
        self.proxy.refilter()
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.select_ids([detail.id])
        self.update_counts()
        return True

    def _selected_detail(self, doing: str) -> SchoolDetail | None:
        """The selected school, read afresh; None (having said why) if there is none."""
        school_id = self.selected_id()
        if school_id is None:
            return None
        try:
            return self.services.schools.get_school(self.services.actor, school_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing} this school", exc.message)
            self.reload()
            return None

    def show_history(self) -> None:
        """The selected school's History window (what was changed, by whom and when)."""
        detail = self._selected_detail("show the history of")
        if detail is None:
            return
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        self.run_dialog(HistoryDialog(self.services, detail.name, detail.uuid, self))

    def close_selected(self) -> None:
        if not self.services.actor.can(EDIT_SCHOOLS):
            return  # the menu's way in is closed too, as the disabled button is
        before = self._selected_detail("close")
        if before is None:
            return
        if before.status == SchoolStatus.CLOSED:
            self.tell(self, "Already closed", f"{before.name} is already closed.")
            return
        text, ok = QInputDialog.getText(
            self,
            "Close school",
            f"{before.name} stays in the register, marked closed.\n"
            "A date still to come keeps it open until then.\n"
            "Date it closes or closed (dd/mm/yyyy):",
            text=format_date(before.close_date or date.today()),
        )
        if not ok:
            return
        self.close_school(before, text)

    def close_school(self, before: SchoolDetail, close_date: str) -> bool:
        try:
            after = self.services.schools.close_school(
                self.services.actor, before.id, before.version, close_date
            )
        except ServiceError as exc:
            self.tell(self, "The school was not closed", exc.message)
            return False
        if not self.show_saved(after):
            return True
        self.undo_stack.push(EditSchoolCommand(self, before, after, f"close {after.name}"))
        if after.closes_later and after.close_date:
            self.status_message.emit(
                f"{after.name} will close on {format_date(after.close_date)}; "
                "it counts as open until then."
            )
        else:
            self.status_message.emit(f"{after.name} is recorded as closed.")
        return True

    def delete_selected(self) -> None:
        if not self.services.actor.can(EDIT_SCHOOLS):
            return  # a viewer is not asked to confirm what they may not do
        before = self._selected_detail("delete")
        if before is None:
            return
        answer = self.ask(
            self,
            "Delete school",
            f"Delete {before.name} (URN {before.urn}) from the register?\n\n"
            "Only do this for a school entered by mistake. A school that has closed should be "
            "closed instead, so its history is kept.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.schools.delete_school(self.services.actor, before.id, before.version)
        except ServiceError as exc:
            self.tell(self, "The school was not deleted", exc.message)
            return
        self.model.remove_id(before.id)
        self.update_counts()
        self.undo_stack.push(DeleteSchoolCommand(self, before))
        self.status_message.emit(f"Deleted {before.name}.")

    def after_undo_failure(self, message: str) -> None:
        """An undo or redo could not be done: say why, and start the history afresh."""
        self.tell(self, "Cannot undo", message)
        QTimer.singleShot(0, self.undo_stack.clear)
        self.reload()
