"""Who was a member on a day, in SQL: the members service's rule for figures counted in the
database (the dashboard).

``domain.memberships.status_on`` and ``MemberDetail.period_on`` say it in Python over a
member's periods: where a member stands on a day is told by the period it applied for most
recently by then; that period is a membership on the day when admitted by then and not yet
ended (``ends_on`` is the first day it is no longer a member), under notice once notice was
received. :func:`standing_on` says the same in one subquery, for any number of days at once;
the dashboard's tests check the two agree member by member.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Date, String, and_, case, literal, or_, select, true, union_all
from sqlalchemy.sql import Subquery

from thep_desktop.models import MembershipPeriod

_period = MembershipPeriod.__table__


def _days(days: Sequence[tuple[str, date]]) -> Subquery:
    """The days asked about, as a little table (key, day): one SELECT of literals each."""
    parts = [
        select(literal(key, String).label("key"), literal(day, Date).label("day"))
        for key, day in days
    ]
    return union_all(*parts).subquery("days")


def standing_on(days: Sequence[tuple[str, date]], notice_only: Sequence[str] = ()) -> Subquery:
    """Each member that was a member on each day: (key, day, member_id, period_id, category,
    admitted_on, notice_received_on, ends_on, under_notice 1/0).

    Where a member stands on a day is told by the period it applied for most recently by
    then (``MemberDetail.period_on``); that period is a membership on the day when admitted
    by then and not yet ended (``status_on``: ``ends_on`` is the first day it is not a
    member); under notice once notice was received. On the days keyed in ``notice_only``,
    only the members under notice are given (far fewer rows to count).
    """
    wanted = _days(days)
    later = _period.alias("later")
    superseded = (
        select(later.c.id)
        .where(
            later.c.member_id == _period.c.member_id,
            later.c.applied_on <= wanted.c.day,
            or_(
                later.c.applied_on > _period.c.applied_on,
                and_(later.c.applied_on == _period.c.applied_on, later.c.id > _period.c.id),
            ),
        )
        .exists()
    )
    under_notice = and_(
        _period.c.notice_received_on.is_not(None), _period.c.notice_received_on <= wanted.c.day
    )
    # A NOT EXISTS on the member's other periods, not a window function over every period
    # and day: the membership test throws out most rows before it, and each probe is one
    # look-up by member (a third of the time on 25,000 schools).
    return (
        select(
            wanted.c.key,
            wanted.c.day,
            _period.c.member_id,
            _period.c.id.label("period_id"),
            _period.c.category,
            _period.c.admitted_on,
            _period.c.notice_received_on,
            _period.c.ends_on,
            case((under_notice, 1), else_=0).label("under_notice"),
        )
        .join_from(
            wanted,
            _period,
            and_(
                _period.c.admitted_on.is_not(None),
                _period.c.admitted_on <= wanted.c.day,
                or_(_period.c.ends_on.is_(None), _period.c.ends_on > wanted.c.day),
                or_(wanted.c.key.not_in(list(notice_only)), under_notice)
                if notice_only
                else true(),
            ),
        )
        .where(~superseded)
        .subquery("standing")
    )
