"""Files as Excel and other programs write them: UTF-16 "Unicode text", UTF-8 with a BOM,
Windows-1252 with £ and é; and a row holding a control character or other digits."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import School
from thep_desktop.services.import_export.gias_import import GiasImportService
from thep_desktop.services.import_export.pupil_import import PupilNumbersService
from thep_desktop.services.import_export.tabular import ImportFileError, open_table
from thep_desktop.services.shared.actor import Actor

FIXTURES = Path(__file__).parents[2] / "fixtures"
SAMPLE = FIXTURES / "gias-sample-rows-2018.csv"


def excel_unicode_text(rows: list[list[str]]) -> bytes:
    """What Excel's File > Save As > "Unicode Text (*.txt)" writes: UTF-16 LE with its byte
    order mark, tab-separated, CR LF, quoting only cells that hold a tab, quote or line break."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF16_LE + buffer.getvalue().encode("utf-16-le")


def as_excel_shows(header: list[str], row: list[str]) -> list[str]:
    """A GIAS row after Excel opened it: dates dd/mm/yyyy, the phone's leading 0 gone."""
    out = []
    for name, cell in zip(header, row, strict=True):
        if name in ("OpenDate", "CloseDate", "CensusDate", "OfstedLastInsp") and cell:
            cell = cell.replace("-", "/")
        if name == "TelephoneNum" and cell.startswith("0"):
            cell = cell[1:]
        out.append(cell)
    return out


def school_count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(School.id))) or 0


def test_gias_saved_by_excel_as_unicode_text_reads_as_the_original(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    rows = list(csv.reader(SAMPLE.read_text(encoding="cp1252").splitlines()))
    header = rows[0]
    path = tmp_path / "edubasealldata.txt"
    path.write_bytes(excel_unicode_text([header, *(as_excel_shows(header, r) for r in rows[1:])]))
    service = GiasImportService(db)
    from_excel = service.preview(actor, path, la_code=None)
    original = service.preview(actor, SAMPLE, la_code=None)
    assert from_excel.rejected == [] and len(from_excel.new) == 4
    assert [(n.urn, n.data) for n in from_excel.new] == [(n.urn, n.data) for n in original.new]
    assert from_excel.new[0].data.phone == "020 8969 2810"
    service.apply(actor, from_excel)
    assert school_count(db) == 4


def test_pupil_numbers_saved_as_unicode_text(db: Database, actor: Actor, tmp_path: Path) -> None:
    gias = GiasImportService(db)
    gias.apply(actor, gias.preview(actor, SAMPLE, la_code=None))
    path = tmp_path / "census.txt"
    path.write_bytes(
        excel_unicode_text(
            [["URN", "Number of pupils", "Census date"], ["100492", "241", "16/01/2025"]]
        )
    )
    preview = PupilNumbersService(db).preview(actor, path)
    assert preview.rejected == []
    assert [(c.urn, c.values["pupils_on_roll"]) for c in preview.changed] == [(100492, 241)]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8", "utf-16"])
def test_pound_signs_and_accents_read_in_every_encoding_excel_writes(
    db: Database, actor: Actor, tmp_path: Path, encoding: str
) -> None:
    name = "École Française £5 Saint-Émilion"
    path = write_gias(
        tmp_path / "g.csv", [gias_row(100001, EstablishmentName=name)], encoding=encoding
    )
    preview = GiasImportService(db).preview(actor, path, la_code=None)
    assert [n.name for n in preview.new] == [name]


def test_a_damaged_unicode_text_file_is_refused_in_words(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(excel_unicode_text([["URN", "EstablishmentName"], ["100001", "Bow"]])[:-1])
    with pytest.raises(ImportFileError, match="Unicode text.*damaged or cut short"):
        GiasImportService(db).preview(actor, path, la_code=None)
    assert school_count(db) == 0


# -- hostile values in a file -------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_row_holding_a_control_character_is_refused_in_words_and_the_rest_imported(
    db: Database, actor: Actor, tmp_path: Path, encoding: str
) -> None:
    rows = [
        gias_row(100001),
        gias_row(100002, EstablishmentName="Bow\x00 School"),
        gias_row(100003, Street="1 Road\x1b]0;pwned\x07"),
        gias_row(100004),
    ]
    path = write_gias(tmp_path / "g.csv", rows, encoding=encoding)
    service = GiasImportService(db)
    preview = service.preview(actor, path, la_code=None)
    assert [n.urn for n in preview.new] == [100001, 100004]
    assert [(r.row_number, r.column) for r in preview.rejected] == [
        (3, "EstablishmentName"),
        (4, "Street"),
    ]
    assert preview.rejected[0].reason.startswith("School name holds a null character (U+0000)")
    assert preview.rejected[1].reason.startswith("Street holds an escape character (U+001B)")
    service.apply(actor, preview)
    with db.read_session() as s:
        assert sorted(s.scalars(select(School.urn))) == [100001, 100004]


@pytest.mark.parametrize(
    ("urn", "outcome"),
    [
        ("\u00b9\u2070\u2070\u2070\u2070\u00b9", "new"),  # ¹⁰⁰⁰⁰¹: superscript digits
        ("\uff11\uff10\uff10\uff10\uff10\uff11", "new"),  # full-width
        ("\u09e7\u09e6\u09e6\u09e6\u09e6\u09e7", "digits of another script"),  # Bengali
        ("\u00b9\u00b2\u00b3", "is not a URN"),
    ],
)
def test_a_urn_in_other_digits_is_read_or_refused_in_words_never_a_traceback(
    db: Database, actor: Actor, tmp_path: Path, urn: str, outcome: str
) -> None:
    path = write_gias(tmp_path / "g.csv", [gias_row(100001, URN=urn)], encoding="utf-8")
    preview = GiasImportService(db).preview(actor, path, la_code=None)
    if outcome == "new":
        assert [n.urn for n in preview.new] == [100001] and preview.rejected == []
    else:
        assert preview.new == [] and outcome in preview.rejected[0].reason
        assert preview.rejected[0].column == "URN"
    assert school_count(db) == 0


def test_pupil_numbers_with_other_digits(db: Database, actor: Actor, tmp_path: Path) -> None:
    gias = GiasImportService(db)
    gias.apply(actor, gias.preview(actor, SAMPLE, la_code=None))
    path = tmp_path / "census.csv"
    path.write_text(
        "URN,Number of pupils,Census date\n"
        "\u00b9\u2070\u2070\u2074\u2079\u00b2,\uff12\uff14\uff11,16/01/2025\n"
        "100459,\u09e7\u09e7\u09e6\u09ea,16/01/2025\n",
        encoding="utf-8",
    )
    preview = PupilNumbersService(db).preview(actor, path)
    assert [(c.urn, c.values["pupils_on_roll"]) for c in preview.changed] == [(100492, 241)]
    assert [(r.row_number, r.column) for r in preview.rejected] == [(3, "Number of pupils")]
    assert "digits of another script" in preview.rejected[0].reason


# -- the reader itself ---------------------------------------------------------------------------
_cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=15
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=6),
    bom=st.booleans(),
)
def test_any_table_saved_as_unicode_text_reads_back_cell_for_cell(
    tmp_path: Path, rows: list[list[str]], bom: bool
) -> None:
    header = ["URN", "Name", "Notes"]
    rows = [r for r in rows if any(r)]  # blank lines are skipped, as in any CSV
    data = excel_unicode_text([header, *rows])
    path = tmp_path / "table.txt"
    path.write_bytes(data if bom else data[len(codecs.BOM_UTF16_LE) :])
    try:
        table = open_table(path)
    except ImportFileError as exc:
        # Without a byte order mark, text with too few Latin letters is not recognised as
        # UTF-16; it is then refused in words, never misread.
        assert not bom and exc.message
        return
    with table:
        assert table.header == header
        got = [cells for _n, cells in table.rows]
    assert got == rows


def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path: Path) -> None:
    text = "URN\tEstablishmentName\r\n100001\tBow School\r\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        with open_table(path) as table:
            assert table.header == ["URN", "EstablishmentName"]
            assert [cells for _n, cells in table.rows] == [["100001", "Bow School"]]
