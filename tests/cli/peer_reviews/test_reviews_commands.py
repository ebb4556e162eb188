"""``thep-admin reviews …`` on a SQLite file and a PostgreSQL database."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from review_records import SCHOOLS, TERMS_2025, cluster, review_sums, schools, year_with_terms

from thep_desktop.cli.admin import main
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role

YEAR = ("--year", "2025/26")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(migrated_db: str) -> Iterator[tuple[tuple[str, str], Services]]:
    """``--db`` and services on it: 10 schools, the first two of one trust, in two clusters
    (Bow cluster: the first six; Wapping cluster: the next four), 2025/26's terms saved and
    no review cycle yet."""
    services, _note = open_services(migrated_db, Actor("office", Role.ADMIN))
    ids = schools(services, 10, trusts={0: "Bow Trust", 1: "Bow Trust"})
    cluster(services, "Bow cluster", ids[:6])
    cluster(services, "Wapping cluster", ids[6:10])
    year_with_terms(services)
    try:
        yield ("--db", migrated_db), services
    finally:
        services.close()


def _cycle(services: Services) -> int:
    return services.reviews.cycle_for_year(services.actor, "2025/26").id


def test_clusters_lists_each_cluster_its_lead_and_schools(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, _services = office
    code, out, err = run(capsys, "reviews", "clusters", *db)
    assert (code, err) == (0, "")
    assert out.startswith("Bow cluster (Geographical, 6 schools)\n  Lead contact  none named\n")
    assert f"  {SCHOOLS[0][0]}  {SCHOOLS[0][1]}\n" in out
    assert "\nWapping cluster (Geographical, 4 schools)\n" in out
    code, out, err = run(capsys, "reviews", "clusters", "--json", *db)
    data = json.loads(out)
    assert data["count"] == 2
    bow = data["clusters"][0]
    assert bow["name"] == "Bow cluster" and bow["kind"] == "geographical" and bow["active"]
    assert bow["lead_contact_name"] is None and bow["lead_school_urn"] is None
    assert {"urn": int(SCHOOLS[0][0]), "name": SCHOOLS[0][1]} in bow["schools"]
    assert len(data["clusters"][1]["schools"]) == 4


def test_schedule_without_a_cycle_says_how_to_make_one(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    before = review_sums(services.db)
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: There is no peer-review cycle for 2025/26 yet; create it with: thep-admin "
        "reviews cycle --year 2025/26 (options such as --team-size change its rules).\n"
    )
    code, out, err = run(capsys, "reviews", "check", "--year", "2025/2026", *db)
    assert code == 1 and "no peer-review cycle for 2025/26" in err
    code, out, err = run(capsys, "reviews", "list", "--year", "twenty", *db)
    assert (code, out) == (1, "") and err.startswith("thep-admin: ") and "twenty" in err
    assert review_sums(services.db) == before


def test_cycle_is_created_shown_and_changed_and_bad_rules_are_refused(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    code, out, err = run(capsys, "reviews", "cycle", *YEAR, *db)
    assert (code, err) == (0, "")
    assert out.startswith("Peer reviews 2025/26 created.\n")
    assert "  Schools in each team       2\n" in out and "Own trust                  avoided" in out
    assert "Terms                      Autumn term, Spring term, Summer term\n" in out
    code, out, err = run(capsys, "reviews", "cycle", *YEAR, *db)
    assert out.startswith("Peer reviews 2025/26: the rules of its schedule.\n")
    change = ("--team-size", "3", "--reviews-per-school", "3", "--terms", "autumn, Spring term")
    code, out, err = run(
        capsys, "reviews", "cycle", *YEAR, *change, "--same-trust", "allow", "--json", *db
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["team_size"] == data["reviews_per_school"] == 3
    assert data["terms"] == ["autumn", "spring"] and data["avoid_same_trust"] is False
    assert data["year"] == "2025/26" and data["reviews"] == 0 and data["focus"] == []
    # Refused in words, nothing changed.
    before = review_sums(services.db)
    code, out, err = run(capsys, "reviews", "cycle", *YEAR, "--team-size", "9", *db)
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: ") and "Schools in each team" in err
    code, out, err = run(capsys, "reviews", "cycle", *YEAR, "--terms", "autumn,winter", *db)
    assert (code, out) == (1, "")
    assert err == "thep-admin: 'winter' is not a term; choose from autumn, spring, summer.\n"
    assert review_sums(services.db) == before


def test_terms_shows_the_usual_dates_and_saves_them_with_changes(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    next_year = ("--year", "2026/27")
    run(capsys, "reviews", "cycle", *next_year, *db)
    code, out, err = run(capsys, "reviews", "schedule", *next_year, *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: There are no term dates for 2026/27 yet, and visits are only in term "
        "time. See the usual dates with: thep-admin reviews terms --year 2026/27; save them "
        "(or your own) with --save.\n"
    )
    code, out, err = run(capsys, "reviews", "terms", *next_year, *db)
    assert (code, err) == (0, "")
    assert out.startswith("No term dates are saved for 2026/27; the usual dates would be")
    assert "Autumn term  02/09/2026  18/12/2026  26/10/2026 to 30/10/2026\n" in out
    assert "25/12/2026 Christmas Day;" in out and "Closure days: none recorded.\n" in out
    before = review_sums(services.db)
    autumn = ("--autumn", "03/09/2026", "2026-12-18")
    code, out, err = run(capsys, "reviews", "terms", *next_year, *autumn, *db)
    assert (code, out) == (1, "")
    assert err == "thep-admin: Add --save to save these term dates (nothing was saved).\n"
    wrong = ("--spring-half-term", "15/02/2027", "12/02/2027", "--save")
    code, out, err = run(capsys, "reviews", "terms", *next_year, *autumn, *wrong, *db)
    assert (code, out) == (1, "")
    assert "Half term ends on 12/02/2027, before it starts on 15/02/2027." in err
    assert review_sums(services.db) == before
    code, out, err = run(capsys, "reviews", "terms", *next_year, *autumn, "--save", *db)
    assert (code, err) == (0, "")
    assert out.startswith("Term dates for 2026/27 saved.\n")
    saved = services.school_calendar.year_terms(services.actor, AcademicYear(2026))
    assert saved.saved and saved.terms[0].starts_on == date(2026, 9, 3)
    code, out, err = run(capsys, "reviews", "schedule", *next_year, "--json", *db)
    assert code == 0 and len(json.loads(out)["reviews"]) == 10
    code, out, err = run(capsys, "reviews", "terms", *YEAR, "--json", *db)
    data = json.loads(out)
    assert data["saved"] is True and data["closures"] == []
    assert [(t["term"], t["starts_on"], t["half_term_ends_on"]) for t in data["terms"]] == [
        (t.name.value, t.starts_on.isoformat(), t.half_term_ends_on.isoformat()) for t in TERMS_2025
    ]
    assert {"date": "2025-12-25", "name": "Christmas Day"} in data["bank_holidays"]


def test_schedule_is_printed_and_saved_only_with_apply(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    run(capsys, "reviews", "cycle", *YEAR, *db)
    code, out, err = run(capsys, "reviews", "check", *YEAR, *db)
    assert (code, out) == (0, "Peer reviews 2025/26 has no reviews yet: nothing to check.\n")
    before = review_sums(services.db)
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, "--seed", "7", *db)
    assert (code, err) == (0, "")
    assert out.startswith(
        "Peer reviews 2025/26: a schedule for 2 clusters (seed 7), 10 reviews.\n\n"
        "Date        Cluster          Host"
    )
    for _urn, name, _head in SCHOOLS[:10]:
        assert name in out
    assert "\nNo breaches.\nNot saved: add --apply to save this schedule.\n" in out
    assert review_sums(services.db) == before
    # The same seed gives the same schedule; JSON as the README says.
    code, first, _err = run(capsys, "reviews", "schedule", *YEAR, "--seed", "7", "--json", *db)
    code, again, _err = run(capsys, "reviews", "schedule", *YEAR, "--seed", "7", "--json", *db)
    assert first == again
    data = json.loads(first)
    assert (data["year"], data["seed"], data["applied"], data["breaches"]) == (
        "2025/26",
        7,
        False,
        [],
    )
    assert data["clusters"] == ["Bow cluster", "Wapping cluster"]
    urns = {int(urn) for urn, _name, _head in SCHOOLS[:10]}
    assert Counter(r["host_urn"] for r in data["reviews"]) == Counter(urns)
    for review in data["reviews"]:
        assert len(review["team"]) == 2 and review["lead_urn"] == review["team"][0]["urn"]
        assert review["host_urn"] not in {s["urn"] for s in review["team"]}
        day = date.fromisoformat(review["dates"][0])
        assert day.weekday() < 5 and date(2025, 9, 3) <= day <= date(2026, 7, 21)
    # --apply saves it as proposed reviews; the check then finds nothing.
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, "--seed", "7", "--apply", *db)
    assert (code, err) == (0, "")
    assert out.endswith("No breaches.\nSaved: 10 reviews proposed.\n")
    saved = services.reviews.list_reviews(services.actor, _cycle(services))
    assert len(saved) == 10 and {r.status for r in saved} == {ReviewStatus.PROPOSED}
    assert sorted((r.host_urn, r.starts_on.isoformat()) for r in saved) == sorted(
        (r["host_urn"], r["dates"][0]) for r in data["reviews"]
    )
    code, out, err = run(capsys, "reviews", "check", *YEAR, *db)
    assert (code, out, err) == (
        0,
        "No breaches: the 10 reviews of Peer reviews 2025/26 keep every rule.\n",
        "",
    )
    # Again with another seed: it replaces the proposed reviews, and says so.
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, "--seed", "8", "--apply", *db)
    assert out.endswith("Saved: 10 reviews proposed, replacing 10 proposed reviews.\n")
    assert len(services.reviews.list_reviews(services.actor, _cycle(services))) == 10


def test_an_impossible_schedule_gives_each_reason_and_saves_nothing(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    run(capsys, "reviews", "cycle", *YEAR, "--team-size", "4", "--reviews-per-school", "4", *db)
    before = review_sums(services.db)
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, "--apply", "--json", *db)
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: No schedule keeps every rule of Peer reviews 2025/26:\n")
    assert (
        "  - The cluster Wapping cluster has 4 schools: it cannot give each host 4 reviewer "
        "schools from the cluster.\n"
    ) in err
    assert review_sums(services.db) == before
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, "--cluster", "Nowhere", *db)
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: There is no cluster called 'Nowhere'. The clusters: Bow")
    assert review_sums(services.db) == before


def test_check_lists_each_breach_and_exits_1(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    run(capsys, "reviews", "cycle", *YEAR, *db)
    run(capsys, "reviews", "schedule", *YEAR, "--cluster", "Wapping cluster", "--apply", *db)
    cycle_id = _cycle(services)
    review = services.reviews.list_reviews(services.actor, cycle_id)[0]
    assert review.starts_on is not None
    saturday = review.starts_on + timedelta(days=5 - review.starts_on.weekday())
    services.reviews.move_review(services.actor, review.id, saturday, review.version)
    code, out, err = run(capsys, "reviews", "check", *YEAR, *db)
    assert (code, err) == (1, "")
    assert out.startswith("Peer reviews 2025/26, 4 reviews:\n1 breach of 1 rule: Visits on")
    assert f"  - Visits on school days in term: The visit to {review.host_name} on " in out
    assert "is a weekend" in out
    code, out, err = run(capsys, "reviews", "check", *YEAR, "--json", *db)
    data = json.loads(out)
    assert code == 1 and data["count"] == 1 and data["reviews"] == 4
    assert data["breaches"][0]["rule"] == "school_day" and data["cluster"] is None
    # Only the other cluster: it has no reviews yet, so its schools host none.
    code, out, err = run(capsys, "reviews", "check", *YEAR, "--cluster", "bow CLUSTER", *db)
    assert code == 1 and "Every school hosts one review" in out
    assert f"{SCHOOLS[0][1]} has no review in the cluster Bow cluster." in out


def test_list_filters_by_status_school_and_cluster(
    capsys: pytest.CaptureFixture[str], office: tuple[tuple[str, str], Services]
) -> None:
    db, services = office
    run(capsys, "reviews", "cycle", *YEAR, *db)
    run(capsys, "reviews", "schedule", *YEAR, "--apply", *db)
    cycle_id = _cycle(services)
    first = services.reviews.list_reviews(services.actor, cycle_id)[0]
    services.reviews.confirm_reviews(services.actor, [first.id], date(2025, 7, 1))
    code, out, err = run(capsys, "reviews", "list", *YEAR, *db)
    assert (code, err) == (0, "")
    assert out.startswith("Date        Host")
    assert "Confirmed 01/07/2025" in out and out.endswith("\n10 reviews.\n")
    code, out, err = run(capsys, "reviews", "list", *YEAR, "--status", "confirmed", "--json", *db)
    data = json.loads(out)
    assert data["count"] == 1 and data["reviews"][0]["host_urn"] == first.host_urn
    row = data["reviews"][0]
    assert row["status"] == "confirmed" and row["status_dates"]["confirmed"] == "2025-07-01"
    assert row["starts_on"] == first.starts_on.isoformat() and len(row["team"]) == 2
    assert row["reviewers"][0]["is_lead"] is True and row["reviewers"][0]["name"]
    urn = SCHOOLS[6][0]
    code, out, err = run(capsys, "reviews", "list", *YEAR, "--school", urn, "--json", *db)
    hosts = [r["host_urn"] for r in json.loads(out)["reviews"]]
    assert len(hosts) == 3 and hosts.count(int(urn)) == 1  # hosts one, reviews two
    code, out, err = run(capsys, "reviews", "list", *YEAR, "--cluster", "Wapping cluster", *db)
    assert out.endswith("\n4 reviews.\n")
    code, out, err = run(capsys, "reviews", "list", *YEAR, "--status", "done", *db)
    assert (code, out) == (1, "")
    assert err == (
        "thep-admin: 'done' is not a status; choose from proposed, confirmed, completed, "
        "report received, quality assured.\n"
    )
    # Scheduling again leaves out the cluster with a confirmed review, and says so.
    code, out, err = run(capsys, "reviews", "schedule", *YEAR, *db)
    assert (code, err) == (0, "")
    left_out = "Bow cluster" if first.cluster_name == "Bow cluster" else "Wapping cluster"
    assert f"Left out (reviews already confirmed or later): {left_out}.\n" in out
    assert "a schedule for 1 cluster " in out


def test_the_demo_clusters_and_its_years_reviews(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    db = ("--db", demo_db)
    code, out, err = run(capsys, "reviews", "clusters", "--json", *db)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["count"] == 12
    assert {c["kind"] for c in data["clusters"]} == {"geographical", "mat", "special", "nursery"}
    year = AcademicYear.of(date.today())
    for shown in (year, year.previous()):
        code, out, err = run(capsys, "reviews", "check", "--year", shown.label, *db)
        assert (code, err) == (0, "") and out.startswith("No breaches: the ")
    code, out, err = run(capsys, "reviews", "list", "--year", year.previous().label, "--json", *db)
    statuses = {r["status"] for r in json.loads(out)["reviews"]}
    assert statuses == {"quality_assured"}
