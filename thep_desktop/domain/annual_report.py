"""The annual report to the Advisory Council: its sections and its two states."""

from __future__ import annotations

import enum


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"  # the office is still writing it
    FINAL = "final"  # marked final: locked like approved minutes

    @property
    def words(self) -> str:
        return "Draft" if self is ReportStatus.DRAFT else "Final"


# The report's sections in order: (key, heading, the AnnualReport column of its narrative).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("introduction", "Introduction", "introduction"),
    ("membership", "Membership", "membership_text"),
    ("finances", "Finances", "finances_text"),
    ("peer_review", "Peer review", "peer_review_text"),
    ("inspection", "Inspection outcomes", "inspection_text"),
    ("governance", "Governance", "governance_text"),
)
NARRATIVE_COLUMNS: tuple[str, ...] = tuple(column for _, _, column in SECTIONS)
