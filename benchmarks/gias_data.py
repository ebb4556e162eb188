"""A large GIAS-format establishment extract for the import benchmark.

Same 133 columns as the real extract (header taken from ``tests/fixtures/gias-header-2018.txt``,
copied from the DfE file), Windows-1252, CRLF, every header and text value quoted, bare numbers,
dd-mm-yyyy dates, "Not applicable" placeholders, curly apostrophes and accented names, commas
inside quoted addresses, a share of closed schools and blank pupil numbers: what the real
England file of about 50,000 rows looks like to a parser.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from benchmarks.harness import ROOT

HEADER_FILE = ROOT / "tests" / "fixtures" / "gias-header-2018.txt"

_PLACES = [
    "St Mary’s",
    "Bow",
    "Cable Street",
    "Columbia",
    "Globe",
    "Harbinger",
    "Marner",
    "Stepney",
    "Wapping",
    "Poplar",
    "Mile End",
    "École Élémentaire",
    "Bishop Challoner",
    "Kobi Nazrul",
    "Lansbury Lawrence",
    "Saint Francis of Assisi",
]
_KINDS = [
    ("Primary School", "Primary", 3, 11),
    ("CofE Primary School", "Primary", 4, 11),
    ("Academy", "Secondary", 11, 18),
    ("Nursery School", "Nursery", 2, 5),
    ("Secondary School", "Secondary", 11, 16),
    ("Catholic Primary School", "Primary", 3, 11),
    ("School", "All-through", 4, 19),
]
_TYPES = [
    "Community school",
    "Voluntary aided school",
    "Academy converter",
    "Free schools",
    "Foundation school",
    "Community special school",
]
_STATUS = ["Open"] * 11 + ["Closed"] * 7 + ["Open, but proposed to close", "Proposed to open"]
_STREETS = ["Bethnal Green Road", "Commercial Road", "Mile End Road", "Roman Road", "Bow Road"]
_POSTCODES = ["E1 6AB", "E2 6AB", "E3 4PX", "E14 9GL", "E1W 2AD", "W10 5EF", "N6 5LY", "SW1A 1AA"]
_FIRST = ["Sarah", "Mary Anne", "Kathleen", "Jane", "Amir", "Zoë", "Seán", "Olu"]
_LAST = ["Bouette", "Heffernan", "Williams", "O’Brien", "Ahmed", "Nowak", "Smith-Jones"]
_LAS = [("201", "City of London"), ("202", "Camden"), ("207", "Kensington and Chelsea")] + [
    (str(300 + k), f"Authority {k}") for k in range(150)
]
_LAS.append(("211", "Tower Hamlets"))


def header() -> list[str]:
    return HEADER_FILE.read_text(encoding="utf-8").splitlines()


def _ddmmyyyy(value: date | None) -> str:
    return "" if value is None else value.strftime("%d-%m-%Y")


def write_gias_csv(path: Path, n: int, *, seed: int = 11, first_urn: int = 100000) -> Path:
    """Write ``n`` establishments in GIAS extract format to ``path`` (cp1252, CRLF)."""
    rng = random.Random(seed)
    columns = header()
    index = {name: i for i, name in enumerate(columns)}
    numeric = {"StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity", "UKPRN"}
    numeric |= {"Easting", "Northing"}
    base = date(1950, 1, 1)
    with path.open("w", encoding="cp1252", newline="") as handle:
        handle.write(",".join(f'"{c}"' for c in columns) + "\r\n")
        for i in range(n):
            row = [""] * len(columns)
            for name in ("Boarders (name)", "OfficialSixthForm (name)", "SpecialClasses (name)"):
                row[index[name]] = "Not applicable"
            la_code, la_name = _LAS[i % len(_LAS)]
            words, phase, low, high = rng.choice(_KINDS)
            status = rng.choice(_STATUS)
            opened = base + timedelta(days=rng.randrange(27000))
            closed = opened + timedelta(days=rng.randrange(1, 3000)) if status == "Closed" else None
            pupils = "" if rng.random() < 0.15 else str(rng.randint(20, 1800))
            values = {
                "URN": str(first_urn + i),
                "LA (code)": la_code,
                "LA (name)": la_name,
                "EstablishmentNumber": f"{1000 + i % 9000:04d}",
                "EstablishmentName": f"{rng.choice(_PLACES)} {words} {i}",
                "TypeOfEstablishment (name)": rng.choice(_TYPES),
                "EstablishmentTypeGroup (name)": "Local authority maintained schools",
                "EstablishmentStatus (name)": status,
                "OpenDate": _ddmmyyyy(opened) if rng.random() < 0.5 else "",
                "CloseDate": _ddmmyyyy(closed),
                "PhaseOfEducation (name)": phase,
                "StatutoryLowAge": str(low),
                "StatutoryHighAge": str(high),
                "ReligiousCharacter (name)": rng.choice(
                    ["Does not apply", "Church of England", "Roman Catholic", "None"]
                ),
                "Diocese (name)": rng.choice(["Not applicable", "Diocese of London"]),
                "CensusDate": "18-01-2024" if pupils else "",
                "NumberOfPupils": pupils,
                "Trusts (name)": rng.choice(["", "", "Tower Hamlets Learning Trust"]),
                "Street": f"{rng.randint(1, 300)} {rng.choice(_STREETS)}",
                "Locality": rng.choice(["", "Bow, East London"]),
                "Town": "London",
                "County (name)": rng.choice(["Not applicable", "Greater London"]),
                "Postcode": rng.choice(_POSTCODES),
                "SchoolWebsite": rng.choice(["", f"http://www.school{i}.sch.uk"]),
                # London numbers in use (020 3, 020 7, 020 8), as GIAS holds.
                "TelephoneNum": f"020{rng.choice('378')}{rng.randint(0, 9999999):07d}",
                "HeadTitle (name)": rng.choice(["Ms", "Mr", "Mrs", "Dr", "Not applicable"]),
                "HeadFirstName": rng.choice(_FIRST),
                "HeadLastName": rng.choice(_LAST),
                "HeadPreferredJobTitle": rng.choice(["Headteacher", "Executive Headteacher"]),
                "OfstedRating (name)": rng.choice(["Good", "Outstanding", "", "Inadequate"]),
                "OfstedLastInsp": _ddmmyyyy(opened + timedelta(days=400)),
                "GOR (name)": "London",
                "UKPRN": str(10000000 + i),
                "Easting": str(rng.randint(500000, 560000)),
                "Northing": str(rng.randint(170000, 200000)),
                "SchoolCapacity": str(rng.randint(100, 2000)),
                "LastChangedDate": "19-09-2024",
            }
            for name, value in values.items():
                if name in index:
                    row[index[name]] = value
            cells = []
            for name, value in zip(columns, row, strict=True):
                if name in numeric or name == "URN":
                    cells.append(value)
                else:
                    cells.append('"' + value.replace('"', '""') + '"')
            handle.write(",".join(cells) + "\r\n")
    return path


def baseline_load(csv_path: Path, sqlite_path: Path) -> int:
    """The yardstick: csv module + sqlite3 executemany of every row into one flat table."""
    import sqlite3

    with csv_path.open("r", encoding="cp1252", newline="") as handle:
        reader = csv.reader(handle)
        columns = next(reader)
        conn = sqlite3.connect(sqlite_path)
        try:
            names = ", ".join(f"c{i} TEXT" for i in range(len(columns)))
            conn.execute(f"CREATE TABLE gias ({names})")
            marks = ", ".join("?" for _ in columns)
            count = 0
            with conn:
                batch: list[list[str]] = []
                for row in reader:
                    batch.append(row)
                    if len(batch) == 5000:
                        conn.executemany(f"INSERT INTO gias VALUES ({marks})", batch)
                        count += len(batch)
                        batch = []
                if batch:
                    conn.executemany(f"INSERT INTO gias VALUES ({marks})", batch)
                    count += len(batch)
        finally:
            conn.close()
    return count
