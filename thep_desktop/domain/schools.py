"""A school's status and one line of the register: plain values every layer may use."""

from __future__ import annotations

import enum
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
