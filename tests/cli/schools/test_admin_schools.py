"""``thep-admin schools list`` counts a school closed only from its closing date."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from thep_desktop.cli.admin import main
from thep_desktop.domain.dates import format_date
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor


def test_a_school_closing_later_is_listed_as_open_until_then(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "office.sqlite3"
    services, _note = open_services(str(path), Actor("office"), create=True)
    later = date.today() + timedelta(days=45)
    for urn, name in ((100001, "Bow School"), (100002, "Ash School")):
        services.schools.create_school(services.actor, SchoolInput(urn=urn, name=name))
    ash = services.schools.get_school_by_urn(services.actor, 100002)
    services.schools.close_school(services.actor, ash.id, ash.version, format_date(later))
    bow = services.schools.get_school_by_urn(services.actor, 100001)
    services.schools.close_school(services.actor, bow.id, bow.version, "31/08/2025")
    services.close()

    assert main(["--db", str(path), "schools", "list", "--status", "open", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["schools"]
    assert [(s["urn"], s["status"], s["close_date"]) for s in listed] == [
        (100002, "open", later.isoformat())
    ]
    assert main(["--db", str(path), "schools", "list", "--status", "closed"]) == 0
    out = capsys.readouterr().out
    assert "Bow School" in out and "Ash School" not in out
