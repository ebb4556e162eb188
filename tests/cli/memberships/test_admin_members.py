"""``thep-admin members …`` and ``fees …`` on a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from invoice_records import table_sums as invoice_sums
from membership_records import join, make_school, table_sums

from thep_desktop.cli.admin import main
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(migrated_db: str) -> Iterator[tuple[str, Services]]:
    """The database's address, and services on it with two schools of the register."""
    services, _note = open_services(migrated_db, Actor("head.admin", Role.ADMIN))
    make_school(services, "100229", "Bethnal Green Primary School")
    make_school(services, "100230", "Columbia Primary School", pupils=None)
    try:
        yield migrated_db, services
    finally:
        services.close()


def test_a_school_applies_is_admitted_gives_notice_and_pays(
    capsys: pytest.CaptureFixture[str], office: tuple[str, Services]
) -> None:
    address, services = office
    db = ("--db", address)
    code, out, err = run(
        capsys, "members", "apply", "--school", "100229", "--category", "full",
        "--applied", "20/06/2016", *db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith(
        "Application recorded: member 1, Bethnal Green Primary School, for full membership, "
        "applied on 20/06/2016."
    )
    # Admission before the application: refused in words, nothing changed.
    before = table_sums(services.db)
    code, out, err = run(capsys, "members", "admit", "100229", "--on", "2016-06-01", *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: The date admitted (01/06/2016) is before the application (20/06/2016); "
        "a member is admitted on or after applying.\n"
    )
    assert table_sums(services.db) == before
    code, out, _err = run(
        capsys, "members", "admit", "urn:100229", "--on", "01/09/2016", "--decision",
        "Founding members' meeting", *db,
    )  # fmt: skip
    assert (code, out) == (
        0,
        "Bethnal Green Primary School admitted on 01/09/2016: Full member.\n",
    )
    before = table_sums(services.db)
    code, out, err = run(capsys, "members", "notice", "1", "--received", "2016-08-31", *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: The notice (31/08/2016) is dated before the member was admitted "
        "(01/09/2016).\n"
    )
    assert table_sums(services.db) == before
    code, out, _err = run(capsys, "members", "notice", "1", "--received", "2025-03-31", *db)
    assert code == 0
    assert out == (
        "Notice from Bethnal Green Primary School received on 31/03/2025: one year's notice "
        "from the day it was received. It stays a member (paying its fees and voting) until "
        "30/03/2026 and leaves on 31/03/2026.\n"
    )
    code, out, _err = run(
        capsys, "members", "pay", "100229", "--year", "2024/25", "--amount", "2,060.00",
        "--received", "15/09/2024", "--reference", "INV-0001", *db,
    )  # fmt: skip
    assert (code, out) == (
        0,
        "Payment recorded: £2,060.00 from Bethnal Green Primary School for 2024/25, received "
        "15/09/2024 (BACS). Kept as credit: £2,060.00.\n",
    )
    before = (table_sums(services.db), invoice_sums(services.db))
    code, out, err = run(
        capsys, "members", "pay", "1", "--year", "2024/25", "--amount", "-5",
        "--received", "15/09/2024", *db,
    )  # fmt: skip
    assert code == 1 and "must be for more than £0.00" in err and out == ""
    assert (table_sums(services.db), invoice_sums(services.db)) == before

    code, out, _err = run(capsys, "members", "show", "100229", "--json", *db)
    shown = json.loads(out)
    assert shown["name"] == "Bethnal Green Primary School" and shown["urn"] == 100229
    assert shown["kind"] == "school"
    [period] = shown["periods"]
    assert period["category"] == "full"
    assert (period["applied_on"], period["admitted_on"]) == ("2016-06-20", "2016-09-01")
    assert period["admission_decision"] == "Founding members' meeting"
    assert (period["notice_received_on"], period["ends_on"]) == ("2025-03-31", "2026-03-31")
    assert period["guarantee"] == "25.00" and period["supports_aims"] is True
    # Recorded as the invoices' payment: no fee invoice is owed, so it is the member's credit.
    assert shown["payments"] == [
        {
            "id": 1,
            "kind": "receipt",
            "received_on": "2024-09-15",
            "amount": "2060.00",
            "method": "BACS",
            "reference": "INV-0001",
            "notes": "Membership fee payment for 2024/25",
            "set_against": [],
            "credit": "2060.00",
        }
    ]
    code, out, _err = run(capsys, "members", "show", "1", *db)
    assert "Admitted         01/09/2016 (Founding members' meeting)" in out
    assert "Member until     30/03/2026 (no longer a member from 31/03/2026)" in out
    assert "15/09/2024  Receipt  £2,060.00  BACS    INV-0001" in out


def test_members_list_voters_and_the_others(
    capsys: pytest.CaptureFixture[str], office: tuple[str, Services]
) -> None:
    address, services = office
    db = ("--db", address)
    code, out, err = run(
        capsys, "members", "apply", "--organisation", "Tower Hamlets Governors' Network",
        "--address", "The Old Vestry, 14 Ropemaker Place, London", "--postcode", "e3 5qd",
        "--category", "associate", "--applied", "2018-02-13", *db,
    )  # fmt: skip
    assert code == 0, err
    run(capsys, "members", "admit", "1", "--on", "2018-03-06", *db)
    # An individual is not eligible for full membership: refused, nothing saved.
    before = table_sums(services.db)
    code, out, err = run(
        capsys, "members", "apply", "--individual", "Mrs Patricia Hale", "--address",
        "22 Linnet Road, London", "--category", "full", "--applied", "2019-09-17", *db,
    )  # fmt: skip
    assert code == 1 and "Not eligible for full membership" in err
    assert table_sums(services.db) == before
    school = services.schools.get_school_by_urn(services.actor, 100229).id
    bethnal = join(services, school, date(2019, 1, 7), date(2019, 1, 15))
    join(services, services.schools.get_school_by_urn(services.actor, 100230).id,
         date(2026, 1, 5), None)  # fmt: skip

    code, out, _err = run(capsys, "members", "list", "--as-at", "2026-02-01", "--json", *db)
    listed = json.loads(out)
    assert listed["as_at"] == "2026-02-01"
    assert [(m["name"], m["status"], m["category"]) for m in listed["members"]] == [
        ("Bethnal Green Primary School", "member", "full"),
        ("Columbia Primary School", "applied", "full"),
        ("Tower Hamlets Governors' Network", "member", "associate"),
    ]
    assert listed["counts"] == {"full": 1, "associate": 1, "under_notice": 0, "applications": 1}
    code, out, _err = run(
        capsys, "members", "list", "--as-at", "01/02/2026", "--status", "member",
        "--category", "associate", *db,
    )  # fmt: skip
    assert "Tower Hamlets Governors' Network" in out and "Bethnal Green" not in out
    assert out.endswith(
        "On 01/02/2026: 0 full members, 1 associate member (0 under notice), 0 applications "
        "waiting (1 of 3 shown).\n"
    )
    code, out, _err = run(capsys, "members", "show", "1", "--json", *db)
    assert json.loads(out)["address_lines"] == ["The Old Vestry", "14 Ropemaker Place", "London"]
    assert json.loads(out)["postcode"] == "E3 5QD"

    code, out, _err = run(capsys, "members", "voters", "--on", "2019-01-14", "--json", *db)
    assert json.loads(out) == {"meeting_on": "2019-01-14", "voters": [], "count": 0}
    code, out, _err = run(capsys, "members", "voters", "--on", "15/01/2019", "--json", *db)
    assert json.loads(out)["voters"] == [
        {
            "member_id": bethnal.id,  # a sequence a refused insert used on PostgreSQL
            "name": "Bethnal Green Primary School",
            "urn": 100229,
            "admitted_on": "2019-01-15",
        }
    ]

    # Cease, then re-join: the old period stays.
    code, out, _err = run(
        capsys, "members", "cease", "100229", "--on", "2024-09-01", "--reason",
        "Left by agreement with the board", *db,
    )  # fmt: skip
    assert out == (
        "Bethnal Green Primary School is no longer a member from 01/09/2024 "
        "(Left by agreement with the board).\n"
    )
    code, out, err = run(
        capsys, "members", "rejoin", "100229", "--category", "full", "--applied",
        "2025-05-12", *db,
    )  # fmt: skip
    assert code == 0, err
    assert "its 1 earlier period of membership kept" in out
    shown = json.loads(run(capsys, "members", "show", "100229", "--json", *db)[1])
    assert [(p["admitted_on"], p["ends_on"]) for p in shown["periods"]] == [
        ("2019-01-15", "2024-09-01"),
        (None, None),
    ]
    code, _out, err = run(capsys, "members", "show", "999999", *db)
    assert (code, err) == (1, "thep-admin: No member is the school with URN 999999.\n")


def test_fee_schedules_and_the_quote(
    capsys: pytest.CaptureFixture[str], office: tuple[str, Services]
) -> None:
    address, services = office
    db = ("--db", address)
    code, out, err = run(capsys, "fees", "schedule", "--year", "2016/17", *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: There is no fee schedule for 2016/17 yet. Set one with: thep-admin fees "
        "schedule --year 2016/17 --rate-per-pupil 5.00 --associate-fee 250.00\n"
    )
    before = table_sums(services.db)
    for bad, words in (
        (("--year", "2025/27", "--rate-per-pupil", "5"), "is not an academic year"),
        (("--year", "2025/26", "--rate-per-pupil", "-5.00", "--associate-fee", "250"),
         "negative"),
        (("--year", "2025/26", "--rate-per-pupil", "5", "--associate-fee", "250", "--free",
          "2025-09-01:2025-12-31", "--free", "2025-12-01:2026-01-31"), "overlap"),
        (("--year", "2025/26", "--rate-per-pupil", "5"), "Give --associate-fee for 2025/26"),
    ):  # fmt: skip
        code, out, err = run(capsys, "fees", "schedule", *bad, *db)
        assert code == 1 and words in err and out == "", (bad, err)
    assert table_sums(services.db) == before

    code, out, err = run(
        capsys, "fees", "schedule", "--year", "2016/17", "--rate-per-pupil", "5.00",
        "--associate-fee", "250.00", "--census-date", "19/01/2017", "--free",
        "2016-09-01:2017-03-31:before fees began", "--json", *db,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "academic_year": "2016/17",
        "first_day": "2016-09-01",
        "last_day": "2017-08-31",
        "rate_per_pupil": "5.00",
        "associate_fee": "250.00",
        "census_date": "2017-01-19",
        "pro_rating": "months",
        "periods": [
            {
                "starts_on": "2016-09-01",
                "ends_on": "2017-03-31",
                "charged": False,
                "description": "before fees began",
            }
        ],
        "notes": None,
        "version": 1,
    }
    # Set once: a second time is refused with where to change it, and nothing changes.
    before = table_sums(services.db)
    code, out, err = run(
        capsys, "fees", "schedule", "--year", "2016/17", "--rate-per-pupil", "6.00", *db
    )
    assert code == 1 and "already has a fee schedule (£5.00 per pupil" in err
    assert "fee schedule editor" in err
    assert table_sums(services.db) == before
    # The year after takes what is not given from the year before.
    code, out, _err = run(
        capsys, "fees", "schedule", "--year", "2017/18", "--rate-per-pupil", "5.50", *db
    )
    assert "Rate per pupil  £5.50 (full members)" in out
    assert "Associate fee   £250.00 a year" in out
    assert "Census date     19/01/2017" in out

    bethnal = services.schools.get_school_by_urn(services.actor, 100229).id
    columbia = services.schools.get_school_by_urn(services.actor, 100230).id
    join(services, bethnal, date(2016, 6, 20), date(2016, 9, 1))
    join(services, columbia, date(2016, 6, 20), date(2016, 9, 1))
    code, out, _err = run(capsys, "fees", "quote", "--year", "2016/17", "--json", *db)
    quote = json.loads(out)
    assert quote["academic_year"] == "2016/17" and quote["count"] == 2
    assert quote["total"] == "858.33"
    first, second = quote["quotes"]
    assert first["amount"] == "858.33" and first["pupils"] == 412
    assert first["working"].endswith("412 pupils x £5.00 x 5/12 = £858.33")
    assert first["census_date"] == "2017-01-19"
    assert second["amount"] is None
    assert [q["name"] for q in quote["without_figures"]] == ["Columbia Primary School"]
    code, out, _err = run(capsys, "fees", "quote", "--year", "2016/17", *db)
    assert "Total £858.33 from 1 member." in out
    assert "Not billed: 1 member without a pupil figure" in out
    assert "Columbia Primary School" in out.split("Not billed")[1]


def test_notice_in_the_leave_at_once_window_ends_the_membership_that_day(
    capsys: pytest.CaptureFixture[str], office: tuple[str, Services]
) -> None:
    address, services = office
    services.fees.save_rules(
        services.actor, 0, 12, "25.00", [(date(2016, 6, 1), date(2016, 12, 31), "")]
    )
    school = services.schools.get_school_by_urn(services.actor, 100229).id
    join(services, school, date(2016, 6, 20), date(2016, 9, 1))
    code, out, err = run(
        capsys, "members", "notice", "100229", "--received", "15/11/2016", "--db", address
    )
    assert (code, err) == (0, "")
    assert out == (
        "Notice from Bethnal Green Primary School received on 15/11/2016: notice received in "
        "the period when members could leave at once (01/06/2016 to 31/12/2016), so it takes "
        "effect immediately. The membership ended on 15/11/2016.\n"
    )
    code, out, err = run(capsys, "members", "withdraw-notice", "100229", "--db", address)
    assert code == 1 and "already taken effect" in err
