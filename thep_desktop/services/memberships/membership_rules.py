"""The membership rules (notice period, exception windows, guarantee)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.memberships import ExceptionWindow, NoticeRule
from thep_desktop.models import MembershipRules, NoticeException


@dataclass(frozen=True)
class RulesDetail:
    """The rules as they stand; ``version`` is 0 until someone first saves them."""

    notice_months: int
    default_guarantee: Decimal
    exceptions: tuple[ExceptionWindow, ...]
    version: int

    @property
    def notice_rule(self) -> NoticeRule:
        return NoticeRule(self.notice_months, self.exceptions)


DEFAULT_RULES = RulesDetail(12, Decimal("25.00"), (), 0)


def load_rules(session: Session) -> RulesDetail:
    """The rules (the prospectus's defaults until someone changes them)."""
    row = session.scalars(select(MembershipRules).limit(1)).first()
    windows = tuple(
        ExceptionWindow(e.starts_on, e.ends_on, e.description)
        for e in session.scalars(select(NoticeException).order_by(NoticeException.starts_on))
    )
    if row is None:
        return RulesDetail(
            DEFAULT_RULES.notice_months,
            DEFAULT_RULES.default_guarantee,
            windows,
            0,
        )
    return RulesDetail(row.notice_months, row.default_guarantee, windows, row.version)


def store_rules(
    session: Session,
    who: str,
    notice_months: int,
    default_guarantee: Decimal,
    exceptions: tuple[ExceptionWindow, ...],
) -> None:
    """Write checked rules: the single row, and the exception windows replaced."""
    row = session.scalars(select(MembershipRules).limit(1)).first()
    if row is None:
        row = MembershipRules(created_by=who, updated_by=who)
        session.add(row)
    row.notice_months = notice_months
    row.default_guarantee = default_guarantee
    row.updated_by = who
    current = {
        (e.starts_on, e.ends_on, e.description): e for e in session.scalars(select(NoticeException))
    }
    wanted = {(w.starts_on, w.ends_on, w.description) for w in exceptions}
    gone = [e.id for key, e in current.items() if key not in wanted]
    if gone:
        for exception in session.scalars(
            select(NoticeException).where(NoticeException.id.in_(gone))
        ):
            session.delete(exception)
    for starts_on, ends_on, description in sorted(wanted - set(current)):
        session.add(
            NoticeException(
                starts_on=starts_on,
                ends_on=ends_on,
                description=description,
                created_by=who,
                updated_by=who,
            )
        )
