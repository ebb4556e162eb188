"""Fast generation of large, realistic-looking schools registers for the benchmarks."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from sqlalchemy import insert

from thep_desktop.database import Database
from thep_desktop.models import Contact, School, StaffMember
from thep_desktop.models.base import utcnow

_FIRST = [
    "St Mary's",
    "Bow",
    "Cable Street",
    "Columbia",
    "Globe",
    "Harbinger",
    "Marner",
    "Olga",
    "Stepney",
    "Wapping",
    "Poplar",
    "Mile End",
    "Limehouse",
    "Shadwell",
    "Bonner",
    "Cayley",
    "Elizabeth Selby",
    "Hermitage",
    "Kobi Nazrul",
    "Lansbury Lawrence",
]
_SECOND = [
    "Primary School",
    "Church of England Primary School",
    "Academy",
    "Nursery School",
    "Secondary School",
    "Free School",
    "Catholic Primary School",
    "Community School",
]
_PHASES = ["Primary", "Primary", "Primary", "Secondary", "Nursery", "All-through", "Not applicable"]
_TYPES = [
    "Community school",
    "Voluntary aided school",
    "Academy converter",
    "Free schools",
    "Foundation school",
    "Community special school",
    "Pupil referral unit",
]
_STREETS = [
    "Bethnal Green Road",
    "Commercial Road",
    "Mile End Road",
    "Roman Road",
    "Cable Street",
    "Bow Road",
    "Poplar High Street",
    "Westferry Road",
    "Whitechapel Road",
    "Globe Road",
]
_POSTCODES = ["E1 6AB", "E2 6AB", "E3 4PX", "E14 9GL", "E1W 2AD", "E2 0PT", "E3 5EN", "E14 0RN"]


def fill_register(db: Database, n: int, *, seed: int = 7, contacts_per_school: int = 2) -> None:
    """Insert ``n`` schools (and contacts, and 6 staff link officers) with bulk inserts."""
    rng = random.Random(seed)
    now = utcnow()
    audit = {
        "created_at": now,
        "created_by": "bench",
        "updated_at": now,
        "updated_by": "bench",
        "version": 1,
    }
    with db.session() as session:
        session.execute(
            insert(StaffMember),
            [
                {
                    "uuid": uuid.uuid4(),
                    "full_name": f"Officer {i}",
                    "job_title": "Link officer",
                    "email": "",
                    "phone": "",
                    "active": True,
                    **audit,
                }
                for i in range(6)
            ],
        )
        schools = []
        for i in range(n):
            phase = rng.choice(_PHASES)
            schools.append(
                {
                    "uuid": uuid.uuid4(),
                    "urn": 100000 + i,
                    "la_code": "211",
                    "establishment_number": f"{2000 + i % 8000:04d}",
                    "name": f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {i}",
                    "establishment_type": rng.choice(_TYPES),
                    "phase": phase,
                    "status": "closed" if i % 23 == 0 else "open",
                    "open_date": None,
                    "close_date": now.date() if i % 23 == 0 else None,
                    "statutory_low_age": 3,
                    "statutory_high_age": 11,
                    "pupils_on_roll": rng.randint(40, 1800),
                    "pupils_census_date": now.date(),
                    "trust": "",
                    "diocese": "",
                    "religious_character": "",
                    "street": f"{rng.randint(1, 300)} {rng.choice(_STREETS)}",
                    "locality": "",
                    "address3": "",
                    "town": "London",
                    "county": "",
                    "postcode": rng.choice(_POSTCODES),
                    "phone": "020 7000 0000",
                    "website": "",
                    "email": "",
                    "head_title": "Ms",
                    "head_first_name": "Amina",
                    "head_last_name": f"Head{i}",
                    "head_job_title": "Headteacher",
                    "chair_of_governors": "",
                    "ofsted_grade": "Good",
                    "ofsted_date": None,
                    "causing_concern": i % 50 == 0,
                    "link_officer_id": 1 + i % 6,
                    "notes": "",
                    **audit,
                }
            )
        session.execute(insert(School), schools)
        if contacts_per_school:
            session.execute(
                insert(Contact),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "school_id": sid,
                        "full_name": f"Contact {sid}-{k}",
                        "role": "Head teacher" if k == 0 else "School business manager",
                        "email": "",
                        "phone": "",
                        **audit,
                    }
                    for sid in range(1, n + 1)
                    for k in range(contacts_per_school)
                ],
            )


def make_register_file(path: str | Path, n: int) -> Path:
    """A migrated SQLite file holding ``n`` schools."""
    path = Path(path)
    if path.exists():
        path.unlink()
    db = Database(path)
    db.upgrade(create=True)
    fill_register(db, n)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path
