"""The GIAS extract's columns: which we read, how each is read, and where they sit in a file."""

from __future__ import annotations

from thep_desktop.services.import_export.tabular import ImportFileError, TableFile, normalise_header

# -- the GIAS columns we read -----------------------------------------------------------------
# (GIAS header, our field, how the cell is read)
#   text: as given; name: a GIAS "(name)" column whose placeholders mean blank;
#   date/number: checked by the school validation; status: mapped to our statuses.
GIAS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("URN", "urn", "text"),
    ("LA (code)", "la_code", "text"),
    ("EstablishmentNumber", "establishment_number", "text"),
    ("EstablishmentName", "name", "text"),
    ("TypeOfEstablishment (name)", "establishment_type", "name"),
    # GIAS's own phase "Not applicable" is a phase the register lists, so it is kept.
    ("PhaseOfEducation (name)", "phase", "text"),
    ("EstablishmentStatus (name)", "status", "status"),
    ("OpenDate", "open_date", "date"),
    ("CloseDate", "close_date", "date"),
    ("StatutoryLowAge", "statutory_low_age", "number"),
    ("StatutoryHighAge", "statutory_high_age", "number"),
    ("NumberOfPupils", "pupils_on_roll", "number"),
    ("CensusDate", "pupils_census_date", "date"),
    ("Trusts (name)", "trust", "name"),
    ("Diocese (name)", "diocese", "name"),
    ("ReligiousCharacter (name)", "religious_character", "name"),
    ("Street", "street", "text"),
    ("Locality", "locality", "text"),
    ("Address3", "address3", "text"),
    ("Town", "town", "text"),
    ("County (name)", "county", "name"),
    ("Postcode", "postcode", "text"),
    ("TelephoneNum", "phone", "phone"),
    ("SchoolWebsite", "website", "text"),
    ("HeadTitle (name)", "head_title", "name"),
    ("HeadFirstName", "head_first_name", "text"),
    ("HeadLastName", "head_last_name", "text"),
    ("HeadPreferredJobTitle", "head_job_title", "text"),
    ("OfstedRating (name)", "ofsted_grade", "name"),
    ("OfstedLastInsp", "ofsted_date", "date"),
)
REQUIRED_COLUMNS = ("URN", "EstablishmentName")
OFSTED_COLUMNS = ("OfstedRating (name)", "OfstedLastInsp")
GIAS_FIELDS = tuple(f for _, f, _ in GIAS_COLUMNS if f != "urn")
COLUMN_OF_FIELD = {f: h for h, f, _ in GIAS_COLUMNS}

PLACEHOLDERS = frozenset({"not applicable", "none", "does not apply", "not recorded"})
# Few distinct values over 50,000 rows: one string object each keeps the preview small.
_INTERNED = frozenset(
    {
        "la_code",
        "establishment_type",
        "phase",
        "trust",
        "diocese",
        "religious_character",
        "town",
        "county",
        "head_title",
        "head_job_title",
        "ofsted_grade",
        "locality",
    }
)


class GiasColumns:
    """Where each column we use sits in this file's header."""

    def __init__(self, table: TableFile) -> None:
        self.name = table.name
        self.header = table.header
        self.width = len(table.header)
        self.is_xlsx = table.kind == "xlsx"
        # Cells that went through Excel's idea of a number: a workbook, or the "Unicode text"
        # (UTF-16) that only Excel and programs like it write.
        self.through_excel = self.is_xlsx or table.encoding.startswith("utf-16")
        index: dict[str, int] = {}
        for i, name in enumerate(table.header):
            index.setdefault(name, i)
        missing = [c for c in REQUIRED_COLUMNS if c not in index]
        if missing:
            raise ImportFileError(_wrong_file_message(table, missing))
        self.urn = index["URN"]
        self.la = index.get("LA (code)")
        # (position, field, kind) for the columns present, URN excepted
        self.used = [(index[h], f, k) for h, f, k in GIAS_COLUMNS if h in index and f != "urn"]
        self.present = {f for _, f, _ in self.used} | {"urn"}
        self.missing = [h for h, _, _ in GIAS_COLUMNS if h not in index]
        # Pupils need their census date; a file lacking either leaves both as they are.
        if not {"pupils_on_roll", "pupils_census_date"} <= self.present:
            self.present -= {"pupils_on_roll", "pupils_census_date"}
            self.used = [
                u for u in self.used if u[1] not in ("pupils_on_roll", "pupils_census_date")
            ]
        # Whoever owns the status owns the closing date (an open school has none).
        if "status" in self.present:
            self.present.add("close_date")
        self.owned = tuple(f for f in GIAS_FIELDS if f in self.present)
        # The same, grouped by how a cell is read, for a tight loop over 50,000 rows.
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for at, name, kind in self.used:
            if kind == "text" and name in _INTERNED:
                kind = "interned"
            by_kind.setdefault(kind, []).append((at, name))
        self.text_cols = by_kind.get("text", []) + by_kind.get("number", [])
        self.text_cols += by_kind.get("phone", [])
        self.interned_cols = by_kind.get("interned", [])
        self.name_cols = by_kind.get("name", [])
        self.date_cols = by_kind.get("date", [])
        self.status_at = next((at for at, _ in by_kind.get("status", [])), None)
        self.phone_at = next((at for at, _ in by_kind.get("phone", [])), None)
        self.text_positions = [at for at, _, kind in self.used if kind != "date"]

    def warnings(self) -> list[str]:
        notes = []
        if all(c in self.missing for c in OFSTED_COLUMNS):
            notes.append(
                "This file has no Ofsted columns (GIAS stopped publishing them in April 2025); "
                "Ofsted grades are left as they are."
            )
        others = [c for c in self.missing if c not in OFSTED_COLUMNS]
        if len(self.missing) - len(others) == 1:
            others += [c for c in self.missing if c in OFSTED_COLUMNS]
        if others:
            notes.append(
                "This file has no column "
                + ", ".join(f"“{c}”" for c in others)
                + "; those details are left as they are in the register."
            )
        return notes


def _wrong_file_message(table: TableFile, missing: list[str]) -> str:
    names = " and ".join(f"“{c}”" for c in missing)
    text = (
        f"{table.name} is not a GIAS establishment extract: it has no {names} "
        f"column{'s' if len(missing) > 1 else ''} (an extract has “URN” and “EstablishmentName”)."
    )
    keys = {normalise_header(h) for h in table.header}
    if "linkurn" in keys or "linktype" in keys:
        text += (
            " It looks like the GIAS links file (predecessor and successor schools); "
            "download the establishment fields file (edubasealldata) instead."
        )
    elif "schoolurn" in keys and ("timeperiod" in keys or "tpupils" in keys):
        text += (
            " It looks like a DfE performance tables (key stage 4 school information) file; "
            "to take pupil numbers from it, use Refresh pupil numbers."
        )
    elif len(table.header) <= 2 or not any(keys):
        text += " Check you chose the right file."
    return text
