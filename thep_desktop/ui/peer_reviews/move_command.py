"""A visit moved in the calendar, as a step of the window's undo history (Ctrl+Z puts it back)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from thep_desktop.services.shared.errors import ServiceError

if TYPE_CHECKING:
    from thep_desktop.ui.peer_reviews.peer_reviews_tab import PeerReviewsTab


class MoveReviewCommand(QUndoCommand):
    """Qt calls ``redo`` as the command is pushed: the move is already saved, so that first
    call does nothing; later redo and undo save the move again, or put the visit back."""

    def __init__(
        self,
        tab: PeerReviewsTab,
        review_id: int,
        host_name: str,
        before: date | None,
        after: date | None,
        version: int,
    ) -> None:
        super().__init__(f"move the visit at {host_name}")
        self.tab = tab
        self.review_id = review_id
        self.before = before
        self.after = after
        self.version = version
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._move(self.after, undone=False)

    def undo(self) -> None:
        self._move(self.before, undone=True)

    def _move(self, starts_on: date | None, *, undone: bool) -> None:
        services = self.tab.services
        try:
            saved = services.reviews.move_review(
                services.actor, self.review_id, starts_on, self.version
            )
        except ServiceError as exc:
            self.tab.tell(
                self.tab, "The visit was not moved back" if undone else "Not moved", exc.message
            )
            self.tab.reload()
            return
        self.version = saved.review.version
        self.tab.show_moved(saved, undone=undone)
