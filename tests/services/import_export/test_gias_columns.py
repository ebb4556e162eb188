"""The GIAS columns: files from other years, missing columns, files that are not extracts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gias_files import (  # noqa: E402 - tests/gias_files.py
    FIXTURES,
    HEADER_2018,
    HEADER_2025,
    gias_row,
    gias_text,
    write_gias,
)
from import_checks import import_file, school_count, snapshot

from thep_desktop.models import SchoolStatus
from thep_desktop.services.import_export.tabular import ImportFileError
from thep_desktop.services.schools.schools_service import SchoolsService


def test_2025_columns_without_ofsted_warn_and_keep_grades(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "2018.csv", [gias_row(100001)]))
    newer = gias_row(100001, HeadLastName="Begum")
    preview = service.preview(
        actor, write_gias(tmp_path / "2025.csv", [newer], header=HEADER_2025), la_code=None
    )
    assert any("no Ofsted columns" in w and "April 2025" in w for w in preview.warnings)
    assert [c.field for c in preview.changed[0].changes] == ["head_last_name"]
    service.apply(actor, preview)
    school = SchoolsService(db).get_school_by_urn(actor, 100001)
    assert (school.ofsted_grade, school.ofsted_date) == ("Good", date(2019, 11, 5))
    assert school.head_last_name == "Begum"


def test_missing_optional_columns_are_named_and_left_alone(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "full.csv", [gias_row(100001)]))
    header = [h for h in HEADER_2018 if h not in ("Postcode", "TelephoneNum")]
    preview = service.preview(
        actor, write_gias(tmp_path / "part.csv", [gias_row(100001)], header=header), la_code=None
    )
    assert any("“Postcode”" in w and "“TelephoneNum”" in w for w in preview.warnings)
    assert preview.unchanged == 1
    only_required = write_gias(
        tmp_path / "min.csv",
        [{"URN": "100002", "EstablishmentName": "Wapping High School"}],
        header=["URN", "EstablishmentName"],
    )
    preview = service.preview(actor, only_required, la_code=None)
    assert preview.new[0].data.status == SchoolStatus.OPEN


def test_closed_without_a_close_date_column_is_rejected(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "a.csv", [gias_row(100001)]))
    header = [h for h in HEADER_2018 if h != "CloseDate"]
    closing = gias_row(100001, **{"EstablishmentStatus (name)": "Closed"})
    path = write_gias(tmp_path / "b.csv", [closing], header)
    preview = service.preview(actor, path, la_code=None)
    assert [(r.row_number, r.column) for r in preview.rejected] == [(2, "CloseDate")]
    assert "needs the date it closed" in preview.rejected[0].reason


# -- files refused as a whole --------------------------------------------------------------------
def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = gias_text([gias_row(100001), gias_row(100002)])
    files: dict[str, tuple[bytes, str]] = {
        "empty.csv": (b"", "is empty"),
        "blank.csv": (b"\r\n\r\n", "is empty"),
        "report.csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        "binary.csv": (bytes(range(256)) * 4, "not a CSV or Excel file"),
        "old.csv": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        "unclosed.csv": (
            good.encode("cp1252") + b'100003,"211","Tower Ham',
            "cut short",
        ),
        "ragged.csv": (good.encode("cp1252") + b'100003,"211","Tower Hamlets"\r\n', "cut short"),
        "links.csv": ((FIXTURES / "gias-links-tower-hamlets.csv").read_bytes(), "links file"),
        "ks4.csv": (
            (FIXTURES / "dfe-ks4-school-info-tower-hamlets-2023-24.csv").read_bytes(),
            "key stage 4",
        ),
        "other.csv": (b"Name,Amount\r\nFoo,1\r\n", "“URN” and “EstablishmentName” columns"),
        "dupes.csv": (
            gias_text([gias_row(100001), gias_row(100002), gias_row(100001)]).encode("cp1252"),
            "URN 100001 twice, in rows 2 and 4",
        ),
        "damaged.xlsx": (b"PK\x03\x04" + b"\x00" * 50, "Excel"),
        "notexcel.xlsx": (b"URN,EstablishmentName\r\n", "not one"),
        "undefined-bytes.csv": (b"URN,EstablishmentName\r\n100001,\x81\x8d\r\n", "cannot be read"),
    }
    result = {}
    for name, (data, message) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        result[name] = (path, message)
    return result


def test_bad_files_refused_with_a_message_and_nothing_changed(service, db, actor, tmp_path):
    import_file(service, actor, write_gias(tmp_path / "start.csv", [gias_row(100001)]))
    before = snapshot(db)
    for name, (path, message) in _bad_files(tmp_path).items():
        with pytest.raises(ImportFileError) as caught:
            service.preview(actor, path, la_code=None)
        assert message in caught.value.message, (name, caught.value.message)
    with pytest.raises(ImportFileError, match="does not exist"):
        service.preview(actor, tmp_path / "nowhere.csv", la_code=None)
    links_message = str(
        pytest.raises(
            ImportFileError,
            service.preview,
            actor,
            FIXTURES / "gias-links-tower-hamlets.csv",
            la_code=None,
        ).value
    )
    assert "“EstablishmentName”" in links_message and "“URN”" not in links_message.split(":")[0]
    assert snapshot(db) == before


def test_la_filter_needs_the_la_column(service, db, actor, tmp_path):
    path = write_gias(
        tmp_path / "g.csv",
        [{"URN": "100002", "EstablishmentName": "Wapping"}],
        header=["URN", "EstablishmentName"],
    )
    with pytest.raises(ImportFileError, match="LA \\(code\\)"):
        service.preview(actor, path, la_code="211")
    assert school_count(db) == 0
