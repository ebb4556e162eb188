"""Hostile values through the school form's service and ``thep-admin schools list``.

A fixed sweep of nasty strings (every C0 and C1 control, DEL, lone surrogates, bidirectional
controls, zero-width characters, 10,000-character texts, digits of several scripts) on SQLite
and PostgreSQL. The rule for each trial: the value is stored and reads back exactly as it
should (a URN as its number), or it is refused in words naming the field with nothing stored;
no other exception. Then every stored name, and names written straight into the database as an
older version or another program could have, go through ``schools list`` and ``schools show``:
the output never holds a raw control character.
"""

from __future__ import annotations

import traceback
import unicodedata
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.models import School
from thep_desktop.services.schools.schools_service import SchoolInput, SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError

CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udc80", "\udfff"]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u00ad"]
OTHER = ["\u2028", "\u2029", "\ufffe", "\uffff", "\U0001f3eb", "e\u0301", "\u05d1\u05d9\u05ea"]
LONG = ["x" * 10_000, "\u09ac" * 10_000, "\u0301" * 10_000]
# 100981 written in other digits: full-width, superscript, mathematical bold, Arabic-Indic,
# Persian, Devanagari, Bengali, Thai; and a mixture.
URNS = [
    "\uff11\uff10\uff10\uff19\uff18\uff11",
    "\u00b9\u2070\u2070\u2079\u2078\u00b9",
    "\U0001d7cf\U0001d7ce\U0001d7ce\U0001d7d7\U0001d7d6\U0001d7cf",
    "\u0661\u0660\u0660\u0669\u0668\u0661",
    "\u06f1\u06f0\u06f0\u06f9\u06f8\u06f1",
    "\u0967\u0966\u0966\u096f\u096e\u0967",
    "\u09e7\u09e6\u09e6\u09ef\u09ee\u09e7",
    "\u0e51\u0e50\u0e50\u0e59\u0e58\u0e51",
    "10\uff10\u00b9\u0668\u0661",
    "\uff10\uff11\uff12\uff13\uff14\uff15",
    "1009\x0081",
    "10098\udc80",
]
FIELDS = ("name", "notes", "street", "email")


def _raw_controls(text: str) -> list[str]:
    return [
        ch
        for ch in text
        if (ord(ch) < 0x20 and ch != "\n")
        or 0x7F <= ord(ch) < 0xA0
        or 0xD800 <= ord(ch) <= 0xDFFF
        or ch in BIDI
    ]


def _count(db: Database) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count(School.id))) or 0


class Sweep:
    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor
        self.service = SchoolsService(db)
        self.trials = 0
        self.stored = 0
        self.refused = 0
        self.broken: list[str] = []
        self.next_urn = 200_000

    def trial(self, what: str, data: SchoolInput, expect: Callable[[object], bool]) -> None:
        self.trials += 1
        before = _count(self.db)
        try:
            made = self.service.create_school(self.actor, data)
        except ValidationError as exc:
            text = str(exc)
            if not exc.field_errors or _raw_controls(text) or _count(self.db) != before:
                self.broken.append(f"{what}: refused badly: {text!r}")
            else:
                self.refused += 1
            return
        except Exception:  # noqa: BLE001 - any other error is what this sweep looks for
            self.broken.append(f"{what}: {traceback.format_exc(limit=1)}")
            return
        if not expect(self.service.get_school(self.actor, made.id)):
            self.broken.append(f"{what}: stored but read back differently")
        else:
            self.stored += 1

    def urn(self) -> str:
        self.next_urn += 1
        return str(self.next_urn)


def _values(field: str, value: str) -> dict[str, str]:
    if field == "email":
        return {"email": f"office{value}@school.sch.uk"}
    return {field: f"Bow{value}School" if len(value) < 100 else value}


def test_hostile_values_through_the_school_service_and_the_register_listing(
    db: Database,
    actor: Actor,
    capsys: pytest.CaptureFixture[str],
    reliability: Callable[..., object],
) -> None:
    sweep = Sweep(db, actor)
    for value in CONTROLS + SURROGATES + BIDI + ZERO_WIDTH + OTHER + LONG:
        for field in FIELDS:
            given = _values(field, value)
            data = SchoolInput(**{"urn": sweep.urn(), "name": "Bow School", **given})
            expected = given[field]

            def same(detail: object, field: str = field, expected: str = expected) -> bool:
                stored = getattr(detail, field)
                # An email address comes back as email-validator normalises it (NFC).
                return stored == expected or (
                    field == "email" and stored == unicodedata.normalize("NFC", expected)
                )

            sweep.trial(f"{field} {value[:3]!r}", data, same)
    for urn in URNS:

        def as_number(detail: object, urn: str = urn) -> bool:
            return detail.urn == 100981  # type: ignore[attr-defined]

        sweep.trial(f"urn {urn!r}", SchoolInput(urn=urn, name=f"URN {urn!r}"), as_number)
        with db.session() as s:  # each trial of a URN starts with it free
            s.query(School).filter(School.urn == 100981).delete()

    # Names as an older version could have stored them (no NUL: PostgreSQL cannot hold one).
    kind = db.url.get_backend_name()
    direct = [c for c in CONTROLS + BIDI if not (c == "\x00" and kind == "postgresql")]
    with db.session() as s:
        for n, char in enumerate(direct):
            s.add(
                School(
                    urn=300_000 + n,
                    name=f"Old{char}School",
                    notes=f"note{char}",
                    created_by="x",
                    updated_by="x",
                )
            )
    address = db.url.render_as_string(hide_password=False)
    capsys.readouterr()
    outputs = 0
    listing_broken: list[str] = []
    for args in (["schools", "list"], ["schools", "list", "--json"]):
        code = main(["--db", address, *args])
        out, err = capsys.readouterr()
        outputs += 1
        if code != 0 or _raw_controls(out + err):
            listing_broken.append(f"{args}: {sorted(set(_raw_controls(out + err)))!r}")
    for n in range(0, len(direct), 7):  # every seventh old row shown in full
        code = main(["--db", address, "schools", "show", str(300_000 + n)])
        out, err = capsys.readouterr()
        outputs += 1
        if code != 0 or _raw_controls(out + err):
            listing_broken.append(f"show {300_000 + n}: {sorted(set(_raw_controls(out + err)))!r}")

    reliability(
        "hostile values saved as a school",
        trials=sweep.trials,
        failures=len(sweep.broken),
        database=kind,
        kill_points="",
        detail=f"{sweep.stored} stored and read back the same, {sweep.refused} refused in words",
    )
    reliability(
        "stored control characters in schools list/show",
        trials=outputs,
        failures=len(listing_broken),
        database=kind,
        detail=f"{_count(db)} schools, {len(direct)} with a control character stored before",
    )
    assert sweep.broken == []
    assert listing_broken == []
