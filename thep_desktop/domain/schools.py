"""A school's status and one line of the register: plain values every layer may use."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple


class SchoolStatus(enum.StrEnum):
    OPEN = "open"
    PROPOSED = "proposed_to_open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "proposed_to_open": "Proposed to open", "closed": "Closed"}[
            self.value
        ]


def effective_status(recorded: SchoolStatus, close_date: date | None, today: date) -> SchoolStatus:
    """What a school counts as on ``today``: closed once its closing date has come.

    A closure recorded for a date still to come leaves the school open (or proposed) until
    then, so it stays in mailings and the open register; on the date itself it is closed.
    A school recorded as closed with a date still to come (entered before future closures
    were understood) counts as open until that date.
    """
    if close_date is not None:
        if close_date <= today:
            return SchoolStatus.CLOSED
        return SchoolStatus.OPEN if recorded == SchoolStatus.CLOSED else recorded
    return recorded


def closes_later(close_date: date | None, today: date) -> bool:
    """True for a school that has a closing date still to come."""
    return close_date is not None and close_date > today


class SchoolRow(NamedTuple):
    """One line of the register as the table shows it.

    A named tuple rather than a frozen dataclass: the register is built from tens of
    thousands of these at start-up, and a tuple is made in C several times faster.
    """

    id: int
    urn: int
    name: str
    laestab: str
    establishment_type: str
    phase: str
    status: SchoolStatus
    town: str
    postcode: str
    pupils_on_roll: int | None
    trust: str
    head_teacher: str
    link_officer: str
    causing_concern: bool
    ofsted_grade: str
    version: int
    close_date: date | None = None  # set for a closed school, or one that will close
    membership: str = ""  # its membership of the partnership in words ("Full member"...)


def with_membership(rows: Iterable[SchoolRow], statuses: Mapping[int, str]) -> list[SchoolRow]:
    """The rows with each school's membership in words (``statuses`` by school id)."""
    return [
        row._replace(membership=statuses.get(row.id, ""))
        if statuses.get(row.id, "") != row.membership
        else row
        for row in rows
    ]
