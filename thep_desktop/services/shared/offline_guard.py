"""What an offline copy may not do: give out the office's numbers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.models.offline import OfflineCopy
from thep_desktop.services.shared.errors import ServiceError


def is_offline_copy(session: Session) -> bool:
    return session.execute(select(OfflineCopy.id).limit(1)).first() is not None


def refuse_numbers_offline(session: Session, what: str) -> None:
    """Numbers run without gaps or repeats only if one place gives them out: the office's
    server. On an offline copy the drafts wait, unnumbered, until they are synchronised."""
    if is_offline_copy(session):
        raise ServiceError(
            f"This is an offline copy: {what} are numbered by the office's server, so none can "
            "be issued here. Synchronise the copy (File > Synchronise), then issue them on the "
            "office's database. Nothing was issued."
        )
