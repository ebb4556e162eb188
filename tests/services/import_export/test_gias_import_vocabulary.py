"""GIAS files from different years give one vocabulary, and real establishments' ages pass."""

from __future__ import annotations

from dataclasses import replace

import pytest
from gias_files import FIXTURES, HEADER_2025, gias_row, write_gias
from import_checks import import_file, snapshot

from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.errors import ValidationError


def test_2018_and_2023_files_give_one_phase_that_one_filter_finds(service, db, actor, tmp_path):
    """2018's "All through" and today's "All-through" are one phase after import."""
    preview, _ = import_file(service, actor, FIXTURES / "gias-sample-rows-2018.csv")
    assert preview.rejected == []
    assert [n.data.phase for n in preview.new if n.urn == 100171] == ["All-through"]
    newer = gias_row(
        138291,
        EstablishmentName="Bow Quay School",
        **{"PhaseOfEducation (name)": "All-through", "TypeOfEstablishment (name)": "Free schools"},
        StatutoryLowAge="4",
        StatutoryHighAge="18",
    )
    import_file(service, actor, write_gias(tmp_path / "2023.csv", [newer], header=HEADER_2025))
    rows = SchoolsService(db).list_schools(actor)
    assert {r.phase for r in rows} == {"Primary", "Secondary", "All-through"}
    # The Schools tab's phase filter keeps the rows whose phase is the one chosen.
    all_through = sorted(r.urn for r in rows if r.phase == "All-through")
    assert all_through == [100171, 138291]


def test_older_spellings_of_types_and_statuses_are_read(service, db, actor, tmp_path):
    rows = [
        gias_row(100001, **{"TypeOfEstablishment (name)": "Academy Sponsor Led"}),
        gias_row(100002, **{"TypeOfEstablishment (name)": "LA Nursery School"}),
        gias_row(100003, **{"EstablishmentStatus (name)": "Open but proposed to close"}),
        gias_row(100004, **{"PhaseOfEducation (name)": "16 Plus"}),
    ]
    preview, result = import_file(service, actor, write_gias(tmp_path / "old.csv", rows))
    assert preview.rejected == [] and result.created == 4
    schools = SchoolsService(db)
    got = {
        urn: (s.establishment_type, s.phase, s.status.label)
        for urn in (100001, 100002, 100003, 100004)
        for s in [schools.get_school_by_urn(actor, urn)]
    }
    assert got == {
        100001: ("Academy sponsor led", "Primary", "Open"),
        100002: ("Local authority nursery school", "Primary", "Open"),
        100003: ("Community school", "Primary", "Open"),
        100004: ("Community school", "16 plus", "Open"),
    }


def test_a_register_spelt_the_old_way_is_brought_in_line_by_the_next_import(
    service, db, actor, tmp_path
):
    schools = SchoolsService(db)
    schools.create_school(
        actor,
        SchoolInput(urn="100171", name="Saint Mary Magdalene", phase="All through", la_code="203"),
    )
    row = gias_row(100171, EstablishmentName="Saint Mary Magdalene")
    row["PhaseOfEducation (name)"] = "All-through"
    preview = service.preview(actor, write_gias(tmp_path / "now.csv", [row]), la_code=None)
    phase = [c for c in preview.changed[0].changes if c.field == "phase"]
    assert [(c.old, c.new) for c in phase] == [("All through", "All-through")]
    service.apply(actor, preview)
    assert schools.get_school_by_urn(actor, 100171).phase == "All-through"
    again = service.preview(actor, write_gias(tmp_path / "now.csv", [row]), la_code=None)
    assert again.changed == [] and again.unchanged == 1


# -- real establishments' ages ------------------------------------------------------------------
def new_city_college(**values: str) -> dict[str, str]:
    """New City College, Tower Hamlets, as GIAS lists it: a further-education college, 14 to 99."""
    college = {
        "EstablishmentName": "New City College",
        "EstablishmentNumber": "4001",
        "TypeOfEstablishment (name)": "Further education",
        "PhaseOfEducation (name)": "16 plus",
        "StatutoryLowAge": "14",
        "StatutoryHighAge": "99",
        "Street": "Poplar High Street",
        "Postcode": "E14 0AF",
        "NumberOfPupils": "",
    }
    return gias_row(130418, **(college | values))


def test_a_further_education_college_aged_14_to_99_is_imported(service, db, actor, tmp_path):
    path = write_gias(tmp_path / "fe.csv", [new_city_college()], header=HEADER_2025)
    preview, result = import_file(service, actor, path)
    assert preview.rejected == [] and result.created == 1
    college = SchoolsService(db).get_school_by_urn(actor, 130418)
    assert (college.statutory_low_age, college.statutory_high_age) == (14, 99)
    assert college.establishment_type == "Further education"


def test_ages_beyond_what_gias_allows_are_still_refused(service, db, actor, tmp_path):
    rows = [
        new_city_college(StatutoryHighAge="100"),
        gias_row(100002, StatutoryLowAge="11", StatutoryHighAge="4"),
    ]
    preview = service.preview(actor, write_gias(tmp_path / "bad.csv", rows), la_code=None)
    reasons = {(r.row_number, r.column): r.reason for r in preview.rejected}
    assert reasons == {
        (2, "StatutoryHighAge"): "Highest age cannot be more than 99",
        (3, "StatutoryHighAge"): "The highest age cannot be below the lowest age",
    }
    assert preview.new == []


def test_the_school_form_takes_the_same_ages(db, actor):
    schools = SchoolsService(db)
    college = SchoolInput(
        urn="130418",
        name="New City College",
        establishment_type="Further education",
        statutory_low_age="14",
        statutory_high_age="99",
    )
    saved = schools.create_school(actor, college)
    assert (saved.statutory_low_age, saved.statutory_high_age) == (14, 99)
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        schools.update_school(
            actor, saved.id, saved.version, replace(saved.as_input(), statutory_high_age="120")
        )
    assert caught.value.field_errors == {"statutory_high_age": "Highest age cannot be more than 99"}
    assert snapshot(db) == before
