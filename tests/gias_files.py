"""GIAS extracts for tests, built from the real headers kept in tests/fixtures."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
OFSTED = {"OfstedLastInsp", "OfstedSpecialMeasures (code)", "OfstedSpecialMeasures (name)"}
OFSTED |= {"OfstedRating (name)"}
HEADER_2025 = [
    line.strip()
    for line in (FIXTURES / "gias-header-2023-2025.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and line.strip() not in OFSTED
]
BARE = {"URN", "StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity", "UKPRN"}


# One column name a line (names contain spaces).
HEADER_2018 = (FIXTURES / "gias-header-2018.txt").read_text(encoding="utf-8").splitlines()


def gias_row(urn: int | str, **values: str) -> dict[str, str]:
    """One establishment as GIAS writes it (column name -> cell text)."""
    number = int(urn) if str(urn).isdigit() else 0
    row = {
        "URN": str(urn),
        "LA (code)": "211",
        "LA (name)": "Tower Hamlets",
        "EstablishmentNumber": f"{2000 + number % 1000:04d}",
        "EstablishmentName": f"School {urn}",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "",
        "CloseDate": "",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "3",
        "StatutoryHighAge": "11",
        "ReligiousCharacter (name)": "Does not apply",
        "Diocese (name)": "Not applicable",
        "CensusDate": "18-01-2024",
        "NumberOfPupils": "420",
        "Trusts (name)": "",
        "Street": "Bethnal Green Road",
        "Locality": "",
        "Address3": "",
        "Town": "London",
        "County (name)": "Not applicable",
        "Postcode": "E2 6AB",
        "SchoolWebsite": "www.example.sch.uk",
        "TelephoneNum": "02077391234",
        "HeadTitle (name)": "Ms",
        "HeadFirstName": "Amina",
        "HeadLastName": "Rahman",
        "HeadPreferredJobTitle": "Headteacher",
        "OfstedRating (name)": "Good",
        "OfstedLastInsp": "05-11-2019",
        "Boarders (name)": "No boarders",
    }
    row.update(values)
    return row


def gias_text(rows: list[dict[str, str]], header: list[str] = HEADER_2018) -> str:
    """The extract as GIAS lays it out: every header quoted, numbers bare, text quoted, CRLF."""
    lines = [",".join(f'"{h}"' for h in header)]
    for row in rows:
        cells = []
        for h in header:
            value = row.get(h, "")
            if h in BARE and value.isdigit():
                cells.append(value)
            else:
                cells.append('"' + value.replace('"', '""') + '"')
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


def write_gias(
    path: Path,
    rows: list[dict[str, str]],
    header: list[str] = HEADER_2018,
    encoding: str = "cp1252",
) -> Path:
    path.write_bytes(gias_text(rows, header).encode(encoding))
    return path
