"""``thep-admin governance …`` on a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from governance_records import appoint, attend, board, governance_sums, meeting, person
from pypdf import PdfReader

from thep_desktop.cli.admin import main
from thep_desktop.domain.governance import (
    ActionStatus,
    Capacity,
    DecisionKind,
    DecisionResult,
    HowAppointed,
    Votes,
    WhyEnded,
)
from thep_desktop.services.governance.governance_data import ActionInput, DecisionInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role

TODAY = date.today()
HELD = date(2025, 11, 18)  # a Tuesday; the board's meeting with decisions and actions
NEXT = TODAY + timedelta(days=30)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Office:
    db: tuple[str, str]
    services: Services
    held_id: int
    next_id: int
    directors: list[int]
    overdue_id: int
    done_id: int


@pytest.fixture
def office(migrated_db: str) -> Iterator[Office]:
    """The usual three bodies; the Board with six directors and an observer; a held meeting
    (notice short: 5 clear days of 7) with attendance, two decisions and three actions (one
    overdue, one done, one due ahead); a meeting ahead with no notice yet; a director who
    resigned on 31/12/2025."""
    services, _note = open_services(migrated_db, Actor("office", Role.ADMIN))
    actor = services.actor
    board_id, people = board(services)
    directors = people[:6]
    held = meeting(services, board_id, HELD, notice_sent_on=HELD - timedelta(days=6))
    held = attend(
        services, held, directors[:5], apologies=[directors[5]], in_attendance=[people[6]]
    )
    items = {item.position: item for item in held.items}
    services.meetings.save_decision(
        actor,
        held.id,
        DecisionInput(
            items[4].id,
            "That the budget for 2026/27 be approved.",
            DecisionKind.ORDINARY,
            DecisionResult.CARRIED,
            Votes(4, 1, 0),
        ),
    )
    services.meetings.save_decision(
        actor, held.id, DecisionInput(items[4].id, "That the risk register be noted.")
    )
    actions = services.governance_actions
    overdue = actions.save_action(
        actor,
        ActionInput(
            held.id, "Publish the policies", directors[1], due_on=HELD + timedelta(days=14)
        ),
    )
    done = actions.save_action(
        actor, ActionInput(held.id, "File the accounts", owner_name="Executive Director")
    )
    actions.set_action_status(
        actor, done.id, ActionStatus.DONE, HELD + timedelta(days=20), "Filed.", done.version
    )
    actions.save_action(
        actor, ActionInput(held.id, "Plan the away day", directors[0], due_on=NEXT + timedelta(1))
    )
    later = meeting(services, board_id, NEXT)
    leaver = person(services, "Harriet Vane", service_address="1 Mecklenburgh Square")
    appoint(
        services,
        leaver,
        board_id,
        Capacity.DIRECTOR,
        starts_on=date(2023, 9, 1),
        ends_on=date(2025, 12, 31),
        how=HowAppointed.CO_OPTED,
    )
    try:
        yield Office(
            ("--db", migrated_db), services, held.id, later.id, directors, overdue.id, done.id
        )
    finally:
        services.close()


def test_bodies_lists_each_body_with_its_rules(
    capsys: pytest.CaptureFixture[str], office: Office
) -> None:
    code, out, err = run(capsys, "governance", "bodies", *office.db)
    assert (code, err) == (0, "")
    assert "Board of Directors (B, Board of Directors)\n" in out
    assert "  Who votes       Its voting members\n" in out
    assert "  Quorum          3 voting members present\n" in out
    assert "  Notice          7 clear days\n" in out
    assert "  Frequency       At least 4 times each academic year\n" in out
    assert "  Voting members  6 in office today\n" in out
    assert "  Meetings        2\n" in out
    assert "General meeting of members (GM, General meeting of members)\n" in out
    assert "  Notice          14 clear days\n" in out
    assert "  Voting members  0 member schools entitled to vote today\n" in out
    code, out, err = run(capsys, "governance", "bodies", "--json", *office.db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["count"] == 3
    by_code = {b["code"]: b for b in data["bodies"]}
    assert set(by_code) == {"B", "AC", "GM"}
    board_json = by_code["B"]
    assert list(board_json) == [
        "id",
        "name",
        "code",
        "kind",
        "active",
        "voters",
        "who_votes",
        "quorum",
        "quorum_number",
        "quorum_fraction",
        "quorum_minimum",
        "observers_count",
        "notice_clear_days",
        "frequency",
        "min_meetings",
        "frequency_words",
        "voting_members",
        "meetings",
        "notes",
    ]
    assert board_json["kind"] == "board" and board_json["voters"] == "appointed"
    assert board_json["quorum_number"] == 3 and board_json["quorum_fraction"] is None
    assert (board_json["voting_members"], board_json["meetings"]) == (6, 2)
    council = by_code["AC"]
    assert council["quorum_fraction"] == "1/3" and council["quorum_minimum"] == 3
    assert council["frequency"] == "term" and council["frequency_words"] == (
        "At least once each term"
    )
    assert by_code["GM"]["notice_clear_days"] == 14
    assert by_code["GM"]["voters"] == "member_schools"


def test_meetings_show_notice_minutes_decisions_and_open_actions(
    capsys: pytest.CaptureFixture[str], office: Office
) -> None:
    code, out, err = run(capsys, "governance", "meetings", *office.db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "Id",
        "Date",
        "Time",
        "Body",
        "Title",
        "Venue",
        "Notice",
        "sent",
        "Clear",
        "days",
        "Short",
        "Minutes",
        "Decisions",
        "Open",
        "actions",
    ]
    # Newest first: the meeting ahead (no notice yet), then the held one (short notice).
    assert lines[2].split()[:3] == [str(office.next_id), NEXT.strftime("%d/%m/%Y"), "18:00"]
    assert "- of 7" in lines[2] and "Short" not in lines[2]
    held = lines[3].split()
    assert held[:4] == [str(office.held_id), "18/11/2025", "18:00", "B"]
    assert "12/11/2025" in lines[3] and "5 of 7" in lines[3] and "Short" in lines[3]
    assert held[-3:] == ["Draft", "2", "2"]
    assert out.endswith("\n2 meetings; 1 meeting with short notice.\n")

    code, out, err = run(
        capsys, "governance", "meetings", "--body", "board of DIRECTORS", "--json", *office.db
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["body"], data["year"], data["count"]) == ("Board of Directors", None, 2)
    first = data["meetings"][1]
    assert list(first) == [
        "id",
        "date",
        "time",
        "body",
        "body_code",
        "kind",
        "title",
        "venue",
        "cancelled",
        "notice_sent_on",
        "clear_days_given",
        "clear_days_needed",
        "short_notice",
        "minutes_status",
        "decisions",
        "open_actions",
    ]
    assert first["id"] == office.held_id
    assert (first["date"], first["time"], first["notice_sent_on"]) == (
        "2025-11-18",
        "18:00",
        "2025-11-12",
    )
    assert (first["clear_days_given"], first["clear_days_needed"], first["short_notice"]) == (
        5,
        7,
        True,
    )
    assert (first["minutes_status"], first["decisions"], first["open_actions"]) == ("draft", 2, 2)
    ahead = data["meetings"][0]
    assert ahead["notice_sent_on"] is None and ahead["clear_days_given"] is None
    assert ahead["short_notice"] is False

    # By academic year, and by code in any case.
    code, out, err = run(
        capsys, "governance", "meetings", "--body", "b", "--year", "2025/26", "--json", *office.db
    )
    data = json.loads(out)
    expected = {office.held_id} | ({office.next_id} if NEXT < date(2026, 9, 1) else set())
    assert {m["id"] for m in data["meetings"]} == expected and data["year"] == "2025/26"
    code, out, err = run(capsys, "governance", "meetings", "--body", "AC", *office.db)
    assert (code, out, err) == (0, "No meetings of Advisory Council are recorded.\n", "")


def test_an_unknown_body_or_year_is_refused_in_words(
    capsys: pytest.CaptureFixture[str], office: Office
) -> None:
    before = governance_sums(office.services.db)
    for command in ("meetings", "actions"):
        code, out, err = run(capsys, "governance", command, "--body", "Trustees", *office.db)
        assert (code, out) == (1, "")
        assert err == (
            "thep-admin: There is no body called 'Trustees'. The bodies: Advisory Council (AC), "
            "Board of Directors (B), General meeting of members (GM).\n"
        )
    code, out, err = run(capsys, "governance", "meetings", "--year", "next year", *office.db)
    assert (code, out) == (1, "") and err.startswith("thep-admin: ") and "next year" in err
    code, out, err = run(capsys, "governance", "directors", "--as-at", "31/02/2026", *office.db)
    assert code == 2 and out == "" and "31/02/2026" in err
    assert governance_sums(office.services.db) == before


def test_actions_tracker_with_open_overdue_and_body_filters(
    capsys: pytest.CaptureFixture[str], office: Office
) -> None:
    code, out, err = run(capsys, "governance", "actions", *office.db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["Id", "Action", "Owner", "Due", "Status"]
    overdue = next(line for line in lines if line.startswith(f"{office.overdue_id:>2}  "))
    assert "Publish the policies" in overdue and "02/12/2025" in overdue
    assert "Open" in overdue and overdue.rstrip().endswith("OVERDUE")
    assert f"{office.held_id}: 18/11/2025" in overdue
    done = next(line for line in lines if "File the accounts" in line)
    assert "Executive Director" in done and "Done" in done and "08/12/2025" in done
    assert "OVERDUE" not in done
    assert out.endswith(f"\n3 actions: 2 open, 1 overdue on {TODAY.strftime('%d/%m/%Y')}.\n")

    code, out, err = run(capsys, "governance", "actions", "--open", "--json", *office.db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["as_at"], data["open_only"], data["overdue_only"]) == (
        TODAY.isoformat(),
        True,
        False,
    )
    assert data["count"] == 2 and data["body"] is None
    first = data["actions"][0]
    assert list(first) == [
        "id",
        "text",
        "owner",
        "due_on",
        "status",
        "progress",
        "body",
        "raised_at",
        "closed_on",
        "closed_at_meeting_id",
        "open",
        "overdue",
    ]
    assert first["id"] == office.overdue_id and first["due_on"] == "2025-12-02"
    assert first["raised_at"] == {
        "meeting_id": office.held_id,
        "date": "2025-11-18",
        "meeting": "Board of Directors, 18/11/2025",
        "item": None,
    }
    assert (first["status"], first["overdue"], first["closed_on"]) == ("open", True, None)
    assert first["owner"] == "Aziz Ahmed" and first["body"] == "Board of Directors"

    code, out, err = run(capsys, "governance", "actions", "--overdue", "--json", *office.db)
    data = json.loads(out)
    assert [a["id"] for a in data["actions"]] == [office.overdue_id] and data["overdue_only"]
    code, out, err = run(capsys, "governance", "actions", "--json", "--body", "b", *office.db)
    data = json.loads(out)
    closed = next(a for a in data["actions"] if a["id"] == office.done_id)
    assert (closed["status"], closed["closed_on"], closed["open"]) == ("done", "2025-12-08", False)
    code, out, err = run(capsys, "governance", "actions", "--overdue", "--body", "GM", *office.db)
    assert (code, out, err) == (
        0,
        "No overdue actions of General meeting of members are recorded.\n",
        "",
    )


def test_directors_register_as_at_a_date(
    capsys: pytest.CaptureFixture[str], office: Office
) -> None:
    code, out, err = run(capsys, "governance", "directors", "--as-at", "2025-06-30", *office.db)
    assert (code, err) == (0, "")
    assert out.startswith("Register of directors as at 30/06/2025 (Board of Directors):\n")
    # Appointed on 01/09/2024 (the six) and 01/09/2023 (Harriet Vane, still in office then).
    assert "Harriet Vane" in out and "Former directors" not in out
    assert out.endswith("\n7 directors in office, 0 former.\n")
    code, out, err = run(capsys, "governance", "directors", "--as-at", "15/01/2026", *office.db)
    assert "\nFormer directors:\n" in out
    former = out.split("Former directors:")[1]
    assert "Harriet Vane" in former and "31/12/2025" in former and "Resigned" in former
    assert out.endswith("\n6 directors in office, 1 former.\n")
    code, out, err = run(capsys, "governance", "directors", "--json", *office.db)
    data = json.loads(out)
    assert data["as_at"] == TODAY.isoformat() and data["count"] == 6
    chair = data["directors"][0]
    assert list(chair) == [
        "name",
        "former_names",
        "service_address",
        "country_of_residence",
        "nationality",
        "occupation",
        "born",
        "capacity",
        "how_appointed",
        "appointed_on",
        "ceased_on",
        "why_ended",
    ]
    assert {d["capacity"] for d in data["directors"]} == {"chair", "vice_chair", "director"}
    assert all(d["appointed_on"] == "2024-09-01" for d in data["directors"])
    (vane,) = data["former_directors"]
    assert (vane["name"], vane["ceased_on"], vane["why_ended"]) == (
        "Harriet Vane",
        "2025-12-31",
        WhyEnded.RESIGNED.value,
    )
    assert vane["service_address"] == "1 Mecklenburgh Square"
    assert vane["how_appointed"] == "co_opted" and vane["appointed_on"] == "2023-09-01"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_render_writes_the_meetings_documents_and_the_logs(
    capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path
) -> None:
    minutes = tmp_path / "minutes.pdf"
    code, out, err = run(
        capsys, "governance", "render", "minutes", str(office.held_id), "--out", str(minutes),
        *office.db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == f"Minutes of Board of Directors, 18/11/2025 (draft) written to {minutes}.\n"
    text = _pdf_text(minutes)
    assert "Board of Directors" in text and "That the budget for 2026/27 be approved." in text
    assert "DRAFT" in text
    agenda = tmp_path / "agenda.pdf"
    code, out, err = run(
        capsys, "governance", "render", "agenda", str(office.next_id), "--out", str(agenda),
        "--json", *office.db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == {
        "document": "agenda",
        "file": str(agenda),
        "meeting_id": office.next_id,
        "meeting": f"Board of Directors, {NEXT.strftime('%d/%m/%Y')}",
        "title": "Board of Directors",
        "date": NEXT.isoformat(),
    }
    assert "Board of Directors" in _pdf_text(agenda)
    notice = tmp_path / "notice.pdf"
    render_notice = ("governance", "render", "notice", str(office.next_id), "--out", str(notice))
    code, out, err = run(capsys, *render_notice, *office.db)
    # Refused in words while nobody is named to sign it; nothing written.
    assert (code, out) == (1, "") and "Nobody gives the notice" in err and not notice.exists()
    actor = office.services.actor
    profile = office.services.organisation.get_profile(actor)
    office.services.organisation.update_profile(
        actor, replace(profile, company_secretary="Rafiq Chowdhury")
    )
    code, out, err = run(capsys, *render_notice, *office.db)
    assert code == 0 and out == (
        f"Notice of Board of Directors, {NEXT.strftime('%d/%m/%Y')}: 1 notice written to "
        f"{notice}.\n"
    )
    text = _pdf_text(notice)
    assert "Board of Directors" in text and "Rafiq Chowdhury" in text

    log = tmp_path / "decisions.pdf"
    code, out, err = run(
        capsys, "governance", "render", "decisions", "--body", "B", "--out", str(log), *office.db
    )
    assert (code, err) == (0, "")
    assert out == f"Decision log of Board of Directors (2 decisions) written to {log}.\n"
    assert "That the budget for 2026/27 be approved." in _pdf_text(log)
    workbook = tmp_path / "governance.xlsx"
    code, out, err = run(
        capsys, "governance", "render", "actions", "--out", str(workbook), "--json", *office.db
    )
    assert json.loads(out)["decisions"] == 2 and json.loads(out)["actions"] == 3
    assert workbook.read_bytes()[:2] == b"PK"
    actions = tmp_path / "actions.pdf"
    code, out, err = run(
        capsys, "governance", "render", "actions", "--open", "--out", str(actions), *office.db
    )
    assert code == 0 and "(2 open actions, as at" in out
    assert "Publish the policies" in _pdf_text(actions)
    register = tmp_path / "directors.pdf"
    code, out, err = run(
        capsys, "governance", "render", "directors", "--as-at", "15/01/2026", "--out",
        str(register), *office.db,
    )  # fmt: skip
    assert code == 0 and out.startswith("Register of directors as at 15/01/2026 (7 entries)")
    assert "Harriet Vane" in _pdf_text(register)


def test_render_refusals_write_nothing(
    capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path
) -> None:
    before = governance_sums(office.services.db)
    folder = tmp_path / "documents"
    folder.mkdir()
    target = folder / "out.pdf"
    cases = (
        (("minutes", "999"), "There is no meeting 999; see the Id column of: thep-admin "
         "governance meetings."),
        (("minutes", "first"), "'first' is not a meeting's id"),
        (("minutes",), "Name the meeting: minutes MEETING_ID"),
        (("register",), "'register' is not a document; choose from minutes, agenda, notice, "
         "decisions, actions, directors."),
        (("decisions", str(office.held_id)), "The decisions document takes no meeting"),
        (("directors", "--open"), "The directors document does not take --open."),
        (("decisions", "--body", "Trustees"), "There is no body called 'Trustees'."),
    )  # fmt: skip
    for args, words in cases:
        code, out, err = run(
            capsys, "governance", "render", *args, "--out", str(target), *office.db
        )
        assert (code, out) == (1, ""), args
        assert err.startswith("thep-admin: ") and words in err, (args, err)
        assert not target.exists()
    code, out, err = run(
        capsys, "governance", "render", "minutes", str(office.held_id), "--out",
        str(folder / "minutes.docx"), *office.db,
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err == "thep-admin: --out must be a file ending .pdf (minutes.docx is not).\n"
    assert list(folder.iterdir()) == []
    assert governance_sums(office.services.db) == before
