"""GIAS rows as schools: compared field by field with the register, or refused with a reason."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from gias_files import (  # noqa: E402 - tests/gias_files.py
    gias_row,
    gias_text,
    write_gias,
)
from import_checks import check_accounting, import_file, school_count, snapshot

from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import SchoolStatus
from thep_desktop.services.import_export import gias_rows
from thep_desktop.services.import_export.tabular import ImportFileError
from thep_desktop.services.schools.schools_service import ContactInput, SchoolsService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService


# -- comparing with the register ------------------------------------------------------------------
def test_changes_listed_field_by_field_and_normalised_values_are_not_changes(
    service, db, actor, tmp_path
):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    changed = gias_row(
        100001,
        EstablishmentName="Globe Primary Academy",
        Postcode="e2  6ab",  # the same postcode once normalised
        OfstedLastInsp="12-03-2024",
        NumberOfPupils="431",
        CensusDate="16-01-2025",
    )
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [changed]), la_code=None)
    assert preview.counts()["changed"] == 1
    item = preview.changed[0]
    shown = {c.field: (c.label, c.old, c.new) for c in item.changes}
    assert shown == {
        "name": ("School name", "School 100001", "Globe Primary Academy"),
        "pupils_on_roll": ("Pupils on roll", "420", "431"),
        "pupils_census_date": ("Census date", "18/01/2024", "16/01/2025"),
        "ofsted_date": ("Ofsted inspection date", "05/11/2019", "12/03/2024"),
    }
    assert item.values["ofsted_date"] == date(2024, 3, 12)
    result = service.apply(actor, preview)
    assert (result.created, result.updated, result.closed) == (0, 1, 0)
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert school.name == "Globe Primary Academy" and school.version == 2
    assert school.pupils_on_roll == 431


def test_older_census_in_gias_does_not_replace_a_newer_pupil_figure(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    older = gias_row(100001, NumberOfPupils="390", CensusDate="19-01-2023")
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [older]), la_code=None)
    assert preview.unchanged == 1 and not preview.has_changes


def test_reimport_after_apply_is_idempotent(service, db, actor, tmp_path):
    rows = [gias_row(100000 + i) for i in range(1, 6)]
    rows[1]["EstablishmentStatus (name)"] = "Closed"
    rows[1]["CloseDate"] = "31-08-2021"
    rows[2]["NumberOfPupils"] = ""
    rows[3]["SchoolWebsite"] = "WWW.Example.SCH.uk"
    path = write_gias(tmp_path / "g.csv", rows)
    import_file(service, actor, path)
    before = snapshot(db)
    preview = service.preview(actor, path, la_code=None)
    assert preview.counts() == {"new": 0, "changed": 0, "closed": 0, "rejected": 0, "unchanged": 5}
    assert not preview.has_changes
    assert str(service.apply(actor, preview)) == "0 new schools, 0 updated, 0 closed"
    assert snapshot(db) == before


def test_school_closed_in_gias_goes_to_closed_not_changed(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    closing = gias_row(
        100001,
        **{"EstablishmentStatus (name)": "Closed"},
        CloseDate="31-08-2025",
        EstablishmentName="Renamed on closing",
    )
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", [closing]), la_code=None)
    assert preview.changed == []
    assert [(c.urn, c.name, c.close_date) for c in preview.closed] == [
        (100001, "School 100001", date(2025, 8, 31))
    ]
    assert [(c.field, c.new) for c in preview.closed[0].changes] == [("name", "Renamed on closing")]
    assert str(service.apply(actor, preview)) == "0 new schools, 0 updated, 1 closed"
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert (school.status, school.close_date) == (SchoolStatus.CLOSED, date(2025, 8, 31))
    assert school.name == "Renamed on closing"
    assert school.version == 2 and school.updated_by == actor.name
    again = service.preview(actor, write_gias(tmp_path / "b.csv", [closing]), la_code=None)
    assert again.unchanged == 1 and not again.has_changes


def test_office_fields_are_never_overwritten(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    officer = StaffService(db).create_staff(actor, StaffInput("Dana Link", "Link officer"))
    schools = SchoolsService(db)
    school = schools.get_school_by_urn(actor, 100001)
    data = replace(
        school.as_input(),
        link_officer_id=officer.id,
        notes="Visit in spring term",
        chair_of_governors="Rev. Alan Holt",
        email="office@example.sch.uk",
        causing_concern=True,
        contacts=[ContactInput("Tom Okafor", "School business manager", "sbm@example.sch.uk")],
    )
    schools.update_school(actor, school.id, school.version, data)
    path = write_gias(tmp_path / "b.csv", [gias_row(100001, EstablishmentName="New name")])
    preview = service.preview(actor, path, la_code=None)
    assert [c.field for c in preview.changed[0].changes] == ["name"]
    service.apply(actor, preview)
    after = schools.get_school_by_urn(actor, 100001)
    assert after.name == "New name"
    assert after.link_officer_id == officer.id
    assert after.notes == "Visit in spring term"
    assert after.chair_of_governors == "Rev. Alan Holt"
    assert after.email == "office@example.sch.uk"
    assert after.causing_concern is True
    assert [c.full_name for c in after.contacts] == ["Tom Okafor"]
    again = service.preview(actor, path, la_code=None)
    assert again.unchanged == 1 and not again.has_changes


def test_la_filter_or_all_england(service, db, actor, tmp_path):
    rows = [
        gias_row(100001),
        gias_row(100002, **{"LA (code)": "202"}),
        gias_row(100003, **{"LA (code)": "211"}),
        gias_row(100004, **{"LA (code)": "999"}),
    ]
    path = write_gias(tmp_path / "g.csv", rows)
    mine = service.preview(actor, path, la_code="211")
    assert (mine.la_code, mine.rows_read, mine.rows_other_la) == ("211", 4, 2)
    assert sorted(n.urn for n in mine.new) == [100001, 100003]
    everyone = service.preview(actor, path, la_code=None)
    assert everyone.rows_other_la == 0 and len(everyone.new) == 4
    none = service.preview(actor, path, la_code="330")
    assert none.rows_other_la == 4 and any("No school" in w for w in none.warnings)


# -- rows refused ---------------------------------------------------------------------------------
def test_bad_values_are_rejected_with_row_column_value_reason_and_the_rest_imported(
    service, db, actor, tmp_path
):
    rows = [
        gias_row(100001),
        gias_row(100002, Postcode="NOT A POSTCODE"),
        gias_row(100003, URN="12345"),
        gias_row(100004, EstablishmentName="x" * 201),
        gias_row(100005, OpenDate="31-02-2020"),
        gias_row(100006, **{"EstablishmentStatus (name)": "Dormant"}),
        gias_row(100007, StatutoryLowAge="11", StatutoryHighAge="4"),
        gias_row(100008, NumberOfPupils="-3"),
        gias_row(100009),
        gias_row(100010, URN="9" * 5000),
    ]
    rows[2]["URN"] = "12345"
    rows[9]["URN"] = "9" * 5000
    preview = service.preview(actor, write_gias(tmp_path / "g.csv", rows), la_code=None)
    got = {(r.row_number, r.column, r.value): r.reason for r in preview.rejected}
    assert set(got) == {
        (3, "Postcode", "NOT A POSTCODE"),
        (4, "URN", "12345"),
        (5, "EstablishmentName", "x" * 201),
        (6, "OpenDate", "31-02-2020"),
        (7, "EstablishmentStatus (name)", "Dormant"),
        (8, "StatutoryHighAge", "4"),
        (9, "NumberOfPupils", "-3"),
        (11, "URN", "9" * 5000),
    }
    assert "not a UK postcode" in got[(3, "Postcode", "NOT A POSTCODE")]
    assert "6 digits" in got[(4, "URN", "12345")]
    assert "at most 200 characters" in got[(5, "EstablishmentName", "x" * 201)]
    assert "not a real date" in got[(6, "OpenDate", "31-02-2020")]
    assert all(reason for reason in got.values())
    assert sorted(n.urn for n in preview.new) == [100001, 100009]
    assert preview.rows_read == 10 and preview.rejected_rows == 8
    service.apply(actor, preview)
    assert school_count(db) == 2


def test_ragged_row_in_the_middle_is_rejected(service, db, actor, tmp_path):
    text = gias_text([gias_row(100001), gias_row(100002), gias_row(100003)])
    lines = text.split("\r\n")
    lines[2] = lines[2] + ',"extra"'
    path = tmp_path / "g.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    preview = service.preview(actor, path, la_code=None)
    assert [(r.row_number, r.column) for r in preview.rejected] == [(3, "")]
    assert "134 values" in preview.rejected[0].reason
    assert len(preview.new) == 2


def test_every_row_is_counted_exactly_once(service, db, actor, tmp_path):
    import_file(
        service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001 + i) for i in range(3)])
    )
    rows = [
        gias_row(100001),  # unchanged
        gias_row(100002, EstablishmentName="Changed"),  # changed
        gias_row(100003, **{"EstablishmentStatus (name)": "Closed"}, CloseDate="01-09-2025"),
        gias_row(100004),  # new
        gias_row(100005, Postcode="??", TelephoneNum="call us"),  # rejected, two problems
        gias_row(100006, **{"LA (code)": "202"}),  # other LA
    ]
    preview = service.preview(actor, write_gias(tmp_path / "b.csv", rows), la_code="211")
    assert preview.counts() == {"new": 1, "changed": 1, "closed": 1, "rejected": 1, "unchanged": 1}
    assert len(preview.rejected) == 2 and preview.rows_other_la == 1
    check_accounting(preview)
    data = json.loads(json.dumps(preview.to_dict()))
    assert data["counts"] == preview.counts()
    assert data["rows_read"] == 6 and data["la_code"] == "211"
    assert data["closed"][0]["close_date"] == "2025-09-01"
    assert data["closed"][0]["values"] == {"status": "closed", "close_date": "2025-09-01"}
    assert data["changed"][0]["changes"] == [
        {"field": "name", "label": "School name", "old": "School 100002", "new": "Changed"}
    ]
    assert data["new"][0]["data"]["status"] == "open"
    assert {r["column"] for r in data["rejected"]} == {"Postcode", "TelephoneNum"}


def test_same_urn_in_full_width_digits_is_a_duplicate(service, db, actor, tmp_path):
    rows = [gias_row(100001), gias_row(100002)]
    rows[1]["URN"] = "\uff11\uff10\uff10\uff10\uff10\uff11"  # 100001 in full-width digits
    path = write_gias(tmp_path / "g.csv", rows, encoding="utf-8")
    with pytest.raises(ImportFileError, match="twice, in rows 2 and 3"):
        service.preview(actor, path, la_code=None)
    assert school_count(db) == 0


def test_urn_in_another_scripts_digits_is_refused_in_words(service, db, actor, tmp_path):
    """Arabic-Indic digits are not read as a URN (domain/numbers.py): the row says why."""
    rows = [gias_row(100001), gias_row(100002)]
    rows[1]["URN"] = "\u0661\u0660\u0660\u0660\u0660\u0662"  # 100002 in Arabic-Indic digits
    path = write_gias(tmp_path / "g.csv", rows, encoding="utf-8")
    preview = service.preview(actor, path, la_code=None)
    assert [n.urn for n in preview.new] == [100001]
    assert [(r.row_number, r.column) for r in preview.rejected] == [(3, "URN")]
    assert "digits of another script" in preview.rejected[0].reason
    assert "0 to 9" in preview.rejected[0].reason
    assert school_count(db) == 0


def test_cancel_during_preview(service, db, actor, tmp_path, monkeypatch):
    monkeypatch.setattr(gias_rows, "_REPORT_EVERY", 2)
    path = write_gias(tmp_path / "a.csv", [gias_row(100001 + i) for i in range(6)])
    progress = Progress(lambda d, t, m: progress.cancel())
    with pytest.raises(Cancelled):
        service.preview(actor, path, la_code=None, progress=progress)
    assert school_count(db) == 0


def test_phone_numbers_are_written_with_their_area_code_or_refused(service, db, actor, tmp_path):
    """GIAS's bare digits come out as people write them; a number not in use refuses the row."""
    rows = [
        gias_row(100001, TelephoneNum="01387312345"),  # Langholm: area code 013873
        gias_row(100002, TelephoneNum="02077391234"),
        gias_row(100003, TelephoneNum="0207739123"),  # a digit short
    ]
    preview, result = import_file(service, actor, write_gias(tmp_path / "p.csv", rows))
    assert [(r.row_number, r.column, r.value) for r in preview.rejected] == [
        (4, "TelephoneNum", "0207739123")
    ]
    assert "is not a UK phone number in use" in preview.rejected[0].reason
    assert result.created == 2
    schools = SchoolsService(db)
    assert schools.get_school_by_urn(actor, 100001).phone == "013873 12345"
    assert schools.get_school_by_urn(actor, 100002).phone == "020 7739 1234"
    assert school_count(db) == 2
