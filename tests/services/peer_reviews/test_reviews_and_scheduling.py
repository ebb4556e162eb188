"""Cycles, reviews and the schedule on both databases: proposals, edits, warnings, statuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from review_records import cluster, cycle, review_sums, schools, year_with_terms

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import QaOutcome, ReviewStatus, Rule
from thep_desktop.services.peer_reviews.review_data import (
    CycleInput,
    ReviewerInput,
    ReviewFilter,
    ReviewInput,
)
from thep_desktop.services.peer_reviews.scheduling_service import ScheduleImpossible
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError

TUESDAY = date(2025, 11, 4)


def scheduled(services: Services, size: int = 6) -> tuple[int, int, list[int]]:
    """A cycle with one cluster of ``size`` schools scheduled and applied."""
    ids = schools(services, size)
    year_with_terms(services)
    cluster_id = cluster(services, "Stepney", ids)
    cycle_id = cycle(services, focus="Reading\nAttendance")
    proposal = services.scheduling.propose(services.actor, cycle_id, [cluster_id])
    services.scheduling.apply(services.actor, proposal)
    return cycle_id, cluster_id, ids


def test_a_cycle_keeps_its_rules_and_one_year_has_one_cycle(
    services: Services, db: Database
) -> None:
    made = services.reviews.save_cycle(
        services.actor,
        CycleInput("2025/26", team_size="3", reviews_per_school=3, terms=("spring", "autumn")),
    )
    assert made.title == "Peer reviews 2025/26"
    assert (made.rules.team_size, made.rules.reviews_per_school) == (3, 3)
    assert [t.value for t in made.rules.terms] == ["autumn", "spring"]
    assert services.reviews.cycle_for_year(services.actor, "2025-26").id == made.id
    before = review_sums(db)
    for bad, field in (
        (CycleInput("2025/26"), "academic_year"),
        (CycleInput("26/27"), "academic_year"),
        (CycleInput("2026/27", team_size=""), "team_size"),
        (CycleInput("2026/27", visit_days=6), "visit_days"),
        (CycleInput("2026/27", terms=()), "terms"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.reviews.save_cycle(services.actor, bad)
        assert field in refused.value.field_errors
    assert review_sums(db) == before


def test_a_proposed_schedule_is_fair_and_applies_as_proposed_reviews(services: Services) -> None:
    cycle_id, cluster_id, ids = scheduled(services)
    reviews = services.reviews.list_reviews(services.actor, cycle_id)
    assert sorted(r.host_school_id for r in reviews) == sorted(ids)  # each hosts once
    assert all(
        len(r.team) == 2 and r.host_school_id not in {t.school_id for t in r.team} for r in reviews
    )
    load = {school: 0 for school in ids}
    for review in reviews:
        for member in review.team:
            load[member.school_id] += 1
    assert set(load.values()) == {2}
    assert all(r.status is ReviewStatus.PROPOSED and r.starts_on is not None for r in reviews)
    assert all(r.focus_areas == ("Reading", "Attendance") for r in reviews)
    # Each team school's head is named, the first school's head leads.
    first = reviews[0]
    assert [r.name for r in first.reviewers] == [t.head_name for t in first.team]
    assert first.reviewers[0].name.startswith("Ms ")
    assert first.lead is not None and first.lead.school_id == first.team[0].school_id
    assert services.scheduling.check(services.actor, cycle_id) == []
    # In date order, undated last.
    assert [r.starts_on for r in reviews] == sorted(r.starts_on for r in reviews)  # type: ignore[type-var]


def test_a_schedule_is_the_same_for_a_seed_and_proposing_again_replaces_proposals(
    services: Services, db: Database
) -> None:
    cycle_id, cluster_id, ids = scheduled(services)
    one = services.scheduling.propose(services.actor, cycle_id, [cluster_id], seed=7)
    two = services.scheduling.propose(services.actor, cycle_id, [cluster_id], seed=7)
    assert one.reviews == two.reviews and one.replaces == len(ids)
    services.scheduling.apply(services.actor, one)
    assert len(services.reviews.list_reviews(services.actor, cycle_id)) == len(ids)
    assert services.reviews.get_cycle(services.actor, cycle_id).seed == 7


def test_a_cluster_with_confirmed_visits_is_not_rescheduled(
    services: Services, db: Database
) -> None:
    cycle_id, cluster_id, _ = scheduled(services)
    first = services.reviews.list_reviews(services.actor, cycle_id)[0]
    assert services.reviews.confirm_reviews(services.actor, [first.id], date(2025, 9, 1)) == 1
    before = review_sums(db)
    with pytest.raises(ServiceError, match=first.host_name):
        services.scheduling.propose(services.actor, cycle_id, [cluster_id])
    assert review_sums(db) == before


def test_an_impossible_schedule_says_why_and_changes_nothing(
    services: Services, db: Database
) -> None:
    ids = schools(services, 2)
    year_with_terms(services)
    cluster_id = cluster(services, "Tiny", ids)
    cycle_id = cycle(services)
    before = review_sums(db)
    with pytest.raises(ScheduleImpossible) as refused:
        services.scheduling.propose(services.actor, cycle_id, [cluster_id])
    assert any("Tiny" in reason for reason in refused.value.reasons)
    assert review_sums(db) == before


def test_scheduling_without_term_dates_asks_for_them(services: Services, db: Database) -> None:
    ids = schools(services, 4)
    cluster_id = cluster(services, "Bow", ids)
    cycle_id = cycle(services)
    with pytest.raises(ValidationError, match="no term dates for 2025/26"):
        services.scheduling.propose(services.actor, cycle_id, [cluster_id])


def test_a_review_moved_to_a_bank_holiday_is_kept_with_a_warning_and_check_finds_it(
    services: Services,
) -> None:
    cycle_id, cluster_id, _ = scheduled(services)
    review = services.reviews.list_reviews(services.actor, cycle_id)[0]
    christmas = date(2025, 12, 25)
    preview = services.scheduling.preview_breaches(
        services.actor,
        replace(review.as_input(), starts_on=christmas, ends_on=christmas),
        review.id,
    )
    assert any(b.rule is Rule.SCHOOL_DAY and "bank holiday" in b.message for b in preview)
    assert services.reviews.get_review(services.actor, review.id).starts_on == review.starts_on
    moved = services.reviews.move_review(services.actor, review.id, christmas, review.version)
    assert moved.review.starts_on == christmas
    assert any(b.rule is Rule.SCHOOL_DAY for b in moved.warnings)
    found = services.scheduling.check(services.actor, cycle_id)
    assert any(str(review.id) in b.review_keys and b.rule is Rule.SCHOOL_DAY for b in found)


def test_bad_reviews_are_refused_in_words_and_nothing_is_saved(
    services: Services, db: Database
) -> None:
    ids = schools(services, 4)
    cluster_id = cluster(services, "Bow", ids[:3])
    cycle_id = cycle(services)
    good = ReviewInput(cycle_id, ids[0], cluster_id, TUESDAY, TUESDAY, (ids[1], ids[2]))
    before = review_sums(db)
    for bad, field in (
        (replace(good, team_school_ids=(ids[0], ids[1])), "team_school_ids"),
        (replace(good, ends_on=TUESDAY - timedelta(days=1)), "ends_on"),
        (replace(good, starts_on=None), "starts_on"),
        (
            replace(
                good,
                reviewers=(
                    ReviewerInput("A Smith", ids[1], is_lead=True),
                    ReviewerInput("B Jones", ids[2], is_lead=True),
                ),
            ),
            "reviewers",
        ),
        (replace(good, reviewers=(ReviewerInput("C Brown", ids[3]),)), "reviewers"),
        (replace(good, host_school_id=ids[3]), "host_school_id"),  # not in the cluster
    ):
        with pytest.raises(ValidationError) as refused:
            services.reviews.save_review(services.actor, bad)
        assert field in refused.value.field_errors, refused.value.field_errors
    assert review_sums(db) == before


def test_a_review_moves_through_its_statuses_with_dates(services: Services, db: Database) -> None:
    ids = schools(services, 3)
    cycle_id = cycle(services)
    saved = services.reviews.save_review(
        services.actor, ReviewInput(cycle_id, ids[0], None, None, None, (ids[1], ids[2]))
    ).review
    before = review_sums(db)
    with pytest.raises(ValidationError, match="no visit date"):
        services.reviews.set_status(
            services.actor, saved.id, ReviewStatus.CONFIRMED, date(2025, 9, 10), saved.version
        )
    assert review_sums(db) == before
    dated = services.reviews.save_review(
        services.actor, replace(saved.as_input(), starts_on=TUESDAY), saved.id, saved.version
    ).review
    confirmed = services.reviews.set_status(
        services.actor, dated.id, ReviewStatus.CONFIRMED, date(2025, 9, 10), dated.version
    )
    with pytest.raises(ValidationError, match="cannot be completed on 03/11/2025"):
        services.reviews.set_status(
            services.actor, dated.id, ReviewStatus.COMPLETED, date(2025, 11, 3), confirmed.version
        )
    done = services.reviews.set_status(
        services.actor,
        dated.id,
        ReviewStatus.REPORT_RECEIVED,
        date(2025, 11, 20),
        confirmed.version,
    )
    assert done.status_dates[ReviewStatus.CONFIRMED] == date(2025, 9, 10)
    assert done.status_dates[ReviewStatus.COMPLETED] == date(2025, 11, 20)
    before = review_sums(db)
    refusal = "completed on 20/11/2025, so “Quality assured” cannot be dated 19/11/2025"
    with pytest.raises(ValidationError, match=refusal):
        services.reviews.set_status(
            services.actor,
            dated.id,
            ReviewStatus.QUALITY_ASSURED,
            date(2025, 11, 19),
            done.version,
            QaOutcome.CONSISTENT,
        )
    assert review_sums(db) == before
    with pytest.raises(ValidationError, match="what quality assurance found"):
        services.reviews.set_status(
            services.actor, dated.id, ReviewStatus.QUALITY_ASSURED, date(2025, 12, 1), done.version
        )
    assured = services.reviews.set_status(
        services.actor,
        dated.id,
        ReviewStatus.QUALITY_ASSURED,
        date(2025, 12, 1),
        done.version,
        QaOutcome.CONSISTENT,
        "Well evidenced",
    )
    assert (assured.qa_outcome, assured.qa_notes) == (QaOutcome.CONSISTENT, "Well evidenced")
    back = services.reviews.set_status(
        services.actor, dated.id, ReviewStatus.CONFIRMED, date(2025, 12, 2), assured.version
    )
    assert back.qa_outcome is None
    assert set(back.status_dates) == {ReviewStatus.PROPOSED, ReviewStatus.CONFIRMED}
    with pytest.raises(ServiceError, match="confirmed, so it stays on record"):
        services.reviews.delete_review(services.actor, back.id, back.version)


def test_reviews_filter_by_school_status_and_words(services: Services) -> None:
    cycle_id, cluster_id, ids = scheduled(services)
    mine = services.reviews.school_reviews(services.actor, cycle_id, ids[0])
    assert [r.host_school_id for r in mine.hosting] == [ids[0]]
    assert len(mine.reviewing) == 2
    assert all(ids[0] in {t.school_id for t in r.team} for r in mine.reviewing)
    found = services.reviews.list_reviews(
        services.actor, cycle_id, ReviewFilter(search="arnhem wharf")
    )
    assert len(found) == 3  # hosting and reviewing twice
    none = services.reviews.list_reviews(
        services.actor, cycle_id, ReviewFilter(statuses=(ReviewStatus.CONFIRMED,))
    )
    assert none == []
    cycle_row = services.reviews.get_cycle(services.actor, cycle_id)
    assert cycle_row.by_status[ReviewStatus.PROPOSED] == len(ids)
