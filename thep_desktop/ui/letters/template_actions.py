"""What the buttons of Letters > Letter templates do: new, duplicate, save, delete, reset.

A mixin of :class:`~thep_desktop.ui.letters.templates_dialog.TemplatesDialog` rather than a
widget: each action reads the template shown, the form and the list, asks or tells the user,
then shows the outcome in the window's banner, so it needs the whole window at every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from thep_desktop.services.letters.letters_service import TemplateDetail, TemplateInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
)
from thep_desktop.ui.letters.template_list import TemplateList
from thep_desktop.ui.shared.forms import KEEP_EDITING, RELOAD, FieldMessages

# Answers to the questions this window asks (and forms.RELOAD / KEEP_EDITING).
DELETE = "Delete"
RESET = "Reset"
CANCEL = "Cancel"


class TemplateActions:
    """New, Duplicate, Save, Delete and Reset, with what follows a conflict or a deletion."""

    # What the window provides (see TemplatesDialog).
    services: Services
    current: TemplateDetail | None
    can_edit: bool
    ask: Callable[..., str]
    tell: Callable[..., object]
    messages: FieldMessages
    inputs: dict[str, QLineEdit | QPlainTextEdit]
    template_list: TemplateList
    saved: Signal
    form_data: Callable[[], TemplateInput]
    names_shown: Callable[[], list[str]]
    reload: Callable[..., None]
    _may_leave: Callable[[], bool]
    _fetch: Callable[[int], TemplateDetail]
    _show_banner: Callable[..., None]
    _show_template: Callable[..., None]

    def new_template(self) -> bool:
        if not self.can_edit or not self._may_leave():
            return False
        self.template_list.select_row_of(None)
        self._show_banner("")
        # Signed by the organisation's default signatory until someone else is chosen.
        self._show_template(None, TemplateInput())
        self.inputs["name"].setFocus()
        return True

    def duplicate_template(self) -> bool:
        if not self.can_edit:
            return False
        data = self.form_data()
        source = f"“{data.name.strip()}”" if data.name.strip() else "the new template"
        names = set(self.names_shown())
        copy_name = f"{data.name.strip()} (copy)" if data.name.strip() else ""
        number = 2
        while copy_name in names:
            copy_name = f"{data.name.strip()} (copy {number})"
            number += 1
        self.template_list.select_row_of(None)
        self._show_template(None, replace(data, name=copy_name), unsaved=True)
        self._show_banner(
            f"A copy of {source} as shown, not saved yet: change it as you wish, then save. "
            "The original stays as it was saved.",
            problem=False,
        )
        name = self.inputs["name"]
        assert isinstance(name, QLineEdit)
        name.setFocus()
        name.selectAll()
        return True

    def save(self) -> bool:
        """Save the template as typed; True when saved."""
        if not self.can_edit:
            return False
        data = self.form_data()
        self._show_banner("")
        actor = self.services.actor
        try:
            if self.current is None:
                detail = self.services.letters.create_template(actor, data)
            else:
                detail = self.services.letters.update_template(
                    actor, self.current.id, data, self.current.version
                )
        except ValidationError as exc:
            self.messages.show(exc.field_errors)
            count = len(exc.field_errors)
            self._show_banner(
                "Not saved: " + exc.message
                if count == 1
                else f"Not saved: please correct the {count} entries marked in red."
            )
            return False
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except NotFoundError as exc:
            self.tell(self, "Not saved", exc.message)
            self._after_vanished()
            return False
        except ServiceError as exc:
            self._show_banner(exc.message)
            return False
        self.reload(detail.id)
        self._show_banner(f"Saved “{detail.name}”.", problem=False)
        self.saved.emit(detail)
        return True

    def _after_vanished(self) -> None:
        """The template shown was deleted by someone else: keep the text as a new one."""
        data = self.form_data()
        self.reload()
        self.template_list.select_row_of(None)
        self._show_template(None, data)
        self._show_banner(
            "That template no longer exists; what you typed is kept here as a new template. "
            "Save it to keep it.",
        )

    def _on_conflict(self, exc: ConflictError) -> None:
        if self.current is None:
            self._show_banner(exc.message)
            return
        answer = self.ask(
            self,
            "Changed by someone else",
            f"{exc.message}\n\nReload their version (what you typed here is dropped), or keep "
            "your text to compare or copy it; Duplicate saves it as a template of its own.",
            [RELOAD, KEEP_EDITING],
        )
        if answer != RELOAD:
            self._show_banner(exc.message + " What you typed is still here.")
            return
        try:
            latest = self._fetch(self.current.id)
        except NotFoundError:
            self._after_vanished()
            return
        self.reload(latest.id)
        who = exc.changed_by or "the other user"
        self._show_banner(f"Reloaded: this is the template as {who} saved it.", problem=False)

    def delete_template(self) -> bool:
        detail = self.current
        if not self.can_edit or detail is None or detail.builtin:
            return False
        answer = self.ask(
            self,
            "Delete template",
            f"Delete the template “{detail.name}”?\n\nLetters already sent with it stay in "
            "each school's history, exactly as sent.",
            [DELETE, CANCEL],
        )
        if answer != DELETE:
            return False
        try:
            self.services.letters.delete_template(self.services.actor, detail.id, detail.version)
        except NotFoundError:
            pass  # someone else deleted it first: the outcome is the same
        except ServiceError as exc:
            self.tell(self, "Not deleted", exc.message)
            self.reload(detail.id)
            return False
        self.reload()
        self._show_banner(f"Deleted “{detail.name}”.", problem=False)
        return True

    def reset_template(self) -> bool:
        detail = self.current
        if not self.can_edit or detail is None or not detail.builtin:
            return False
        answer = self.ask(
            self,
            "Reset template",
            f"Put “{detail.name}” back to the wording shipped with the program?\n\n"
            "The office's changes to it, saved or not, are lost. Letters already sent keep "
            "their wording.",
            [RESET, CANCEL],
        )
        if answer != RESET:
            return False
        try:
            reset = self.services.letters.reset_template(
                self.services.actor, detail.id, detail.version
            )
        except ConflictError as exc:
            self.tell(self, "Not reset", exc.message + " Look at their version, then try again.")
            self.reload(detail.id)
            return False
        except ServiceError as exc:
            self.tell(self, "Not reset", exc.message)
            self.reload()
            return False
        self.reload(reset.id)
        self._show_banner(f"“{reset.name}” has the wording shipped again.", problem=False)
        return True
