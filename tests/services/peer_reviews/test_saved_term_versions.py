"""A year's saved terms come back with each term's version, to save over them safely."""

from __future__ import annotations

from datetime import date

import pytest

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import Term, TermName
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ConflictError

YEAR = AcademicYear(2025)


def test_saved_terms_come_back_with_their_versions(db: Database, actor: Actor) -> None:
    calendar = Services(db, actor).school_calendar
    proposed = calendar.year_terms(actor, YEAR)
    assert proposed.saved is False and proposed.versions == {}

    saved = calendar.save_terms(actor, YEAR, proposed.terms)

    assert saved.saved is True
    assert saved.versions == {name: 1 for name in TermName}
    assert calendar.year_terms(actor, YEAR).versions == saved.versions


def test_a_save_over_someone_elses_change_is_refused(db: Database, actor: Actor) -> None:
    calendar = Services(db, actor).school_calendar
    first = calendar.save_terms(actor, YEAR, calendar.year_terms(actor, YEAR).terms)
    autumn = first.term(TermName.AUTUMN)
    assert autumn is not None
    later = Term(TermName.AUTUMN, date(2025, 9, 4), autumn.ends_on, *_half(autumn))
    calendar.save_terms(actor, YEAR, (later, *first.terms[1:]), first.versions)

    earlier = Term(TermName.AUTUMN, date(2025, 9, 2), autumn.ends_on, *_half(autumn))
    with pytest.raises(ConflictError):
        calendar.save_terms(actor, YEAR, (earlier, *first.terms[1:]), first.versions)

    kept = calendar.year_terms(actor, YEAR).term(TermName.AUTUMN)
    assert kept is not None and kept.starts_on == date(2025, 9, 4)


def _half(term: Term) -> tuple[date | None, date | None]:
    return term.half_term_starts_on, term.half_term_ends_on
