"""``thep-admin schools profile URN``: the PDF written whole, the data as JSON (ISO dates,
money as "858.33"), and refusals in words on stderr with a non-zero exit."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from profile_records import MARKUP_NOTE, ProfileDemo, open_profile_demo
from pypdf import PdfReader

from thep_desktop.cli.admin import main
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def profile_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProfileDemo]:
    yield from open_profile_demo(request, tmp_path_factory)


def _address(demo: ProfileDemo) -> str:
    return demo.db.url.render_as_string(hide_password=False)


def test_json_gives_every_section_with_iso_dates_and_money_as_text(
    profile_demo: ProfileDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--db", _address(profile_demo), "schools", "profile", str(profile_demo.urn), "--json"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    expected = Services(profile_demo.db, Actor("office")).school_profile.profile(
        Actor("office"), profile_demo.urn
    )
    assert data["urn"] == profile_demo.urn and data["name"] == expected.register.name
    assert data["as_at"] == expected.as_at.isoformat()
    assert data["balance"] == f"{expected.balance:.2f}"
    assert [i["number"] for i in data["invoices"]] == [i.number for i in expected.invoices]
    first = data["invoices"][0]
    assert first["invoice_date"] == expected.invoices[0].invoice_date.isoformat()
    assert first["total"] == f"{expected.invoices[0].total:.2f}"
    assert Decimal(first["total"]) == expected.invoices[0].total
    assert [i["inspected_on"] for i in data["inspections"]] == [
        i.inspected_on.isoformat() for i in expected.inspections
    ]
    assert data["inspections"][0]["kind"] == "report_card"
    assert data["inspections"][0]["areas"] == {
        "inclusion": "strong",
        "achievement": "needs_attention",
    }
    assert data["latest_outcome"] == "Report card: an area needing attention"
    assert MARKUP_NOTE in {n["text"] for n in data["notes"]}
    assert len(data["reviews_hosted"]) == len(expected.reviews_hosted) > 0
    assert len(data["letters"]) == len(expected.letters) > 0
    assert [f["fee"] for f in data["fees"]] == [
        None if f.fee is None else f"{f.fee:.2f}" for f in expected.fees
    ]


def test_as_at_gives_the_profile_as_it_stood_then(
    profile_demo: ProfileDemo, capsys: pytest.CaptureFixture[str]
) -> None:
    actor = Actor("office")
    services = Services(profile_demo.db, actor)
    today = services.school_profile.profile(actor, profile_demo.urn)
    earliest = min(i.invoice_date for i in today.invoices)
    code = main(
        [
            "--db",
            _address(profile_demo),
            "schools",
            "profile",
            str(profile_demo.urn),
            "--as-at",
            earliest.strftime("%d/%m/%Y"),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    then = services.school_profile.profile(actor, profile_demo.urn, earliest)
    assert data["as_at"] == earliest.isoformat()
    assert [i["number"] for i in data["invoices"]] == [i.number for i in then.invoices]
    assert len(data["invoices"]) < len(today.invoices)
    assert all(i["invoice_date"] <= earliest.isoformat() for i in data["invoices"])
    assert data["balance"] == f"{then.balance:.2f}"


def test_out_writes_the_pdf(
    profile_demo: ProfileDemo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "profile.pdf"
    code = main(
        [
            "--db",
            _address(profile_demo),
            "schools",
            "profile",
            str(profile_demo.quiet_urn),
            "--out",
            str(target),
        ]
    )
    assert code == 0
    assert f"written to {target}" in capsys.readouterr().out
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert "School profile" in text and str(profile_demo.quiet_urn) in text
    assert "Not yet inspected" in text and "No invoices." in text
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["999999", "--json"], "There is no school with URN 999999"),
        (["12", "--json"], "is not a URN"),
        (["{urn}"], "--out FILE.pdf"),
        (["{urn}", "--out", "profile.txt"], "must be a file ending .pdf"),
    ],
)
def test_wrong_requests_are_refused_in_words(
    profile_demo: ProfileDemo,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    given = [a.format(urn=profile_demo.urn) for a in arguments]
    code = main(["--db", _address(profile_demo), "schools", "profile", *given])
    captured = capsys.readouterr()
    assert code != 0
    assert words in captured.err and captured.out == ""
    assert not list(tmp_path.iterdir())
