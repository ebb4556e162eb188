"""The Schools tab's undoable changes: edit (and close), add and delete a school."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from thep_desktop.services.schools.schools_service import SchoolDetail, SchoolInput
from thep_desktop.services.shared.errors import ServiceError

if TYPE_CHECKING:
    from thep_desktop.ui.schools.schools_tab import SchoolsTab


class _SchoolCommand(QUndoCommand):
    """Base of the undoable school changes. Qt calls ``redo`` on push: the first is a no-op."""

    def __init__(self, tab: SchoolsTab, text: str) -> None:
        super().__init__(text)
        self.tab = tab
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self.do)

    def undo(self) -> None:
        self._run(self.undo_change)

    def _run(self, fn: Callable[[], SchoolDetail | None]) -> None:
        try:
            detail = fn()
        except ServiceError as exc:
            self.tab.after_undo_failure(exc.message)
            return
        if detail is not None:
            self.tab.show_saved(detail)

    def do(self) -> SchoolDetail | None:
        raise NotImplementedError

    def undo_change(self) -> SchoolDetail | None:
        raise NotImplementedError


def _input_for_recreate(detail: SchoolDetail) -> SchoolInput:
    data = detail.as_input()
    for contact in data.contacts:
        contact.id = None
    return data


class EditSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, before: SchoolDetail, after: SchoolDetail, what: str):
        super().__init__(tab, what)
        self.school_id = after.id
        self.before = before.as_input()
        self.after = after.as_input()
        self.version = after.version

    def _save(self, data: SchoolInput) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.update_school(services.actor, self.school_id, self.version, data)
        self.version = detail.version
        return detail

    def do(self) -> SchoolDetail:
        return self._save(self.after)

    def undo_change(self) -> SchoolDetail:
        return self._save(self.before)


class CreateSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, created: SchoolDetail) -> None:
        super().__init__(tab, f"add {created.name}")
        self.data = _input_for_recreate(created)
        self.school_id = created.id
        self.version = created.version

    def do(self) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.create_school(services.actor, self.data)
        self.school_id, self.version = detail.id, detail.version
        return detail

    def undo_change(self) -> None:
        services = self.tab.services
        services.schools.delete_school(services.actor, self.school_id, self.version)
        self.tab.model.remove_id(self.school_id)
        self.tab.update_counts()


class DeleteSchoolCommand(_SchoolCommand):
    def __init__(self, tab: SchoolsTab, deleted: SchoolDetail) -> None:
        super().__init__(tab, f"delete {deleted.name}")
        self.data = _input_for_recreate(deleted)
        self.school_id = deleted.id
        self.version = deleted.version

    def do(self) -> None:
        services = self.tab.services
        services.schools.delete_school(services.actor, self.school_id, self.version)
        self.tab.model.remove_id(self.school_id)
        self.tab.update_counts()

    def undo_change(self) -> SchoolDetail:
        services = self.tab.services
        detail = services.schools.create_school(services.actor, self.data)
        self.school_id, self.version = detail.id, detail.version
        return detail
