"""Clusters, term dates and closures on both databases: refusals in words, nothing saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from review_records import (
    TERMS_2025,
    YEAR_2025,
    cluster,
    review_sums,
    schools,
    year_with_terms,
)

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import ClosureKind, ClusterKind, TermName
from thep_desktop.domain.roles import Role
from thep_desktop.services.peer_reviews.review_data import ClosureInput, ClusterInput, CycleInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)


def test_a_cluster_keeps_its_schools_lead_and_kind(services: Services) -> None:
    ids = schools(services, 4)
    saved = services.clusters.save_cluster(
        services.actor,
        ClusterInput(
            "  Stepney   Primaries ",
            "Geographical",
            (ids[2], ids[0], ids[1]),
            "Amina Rahman",
            "head@100929.sch.uk",
            lead_school_id=ids[0],
        ),
    )
    assert saved.name == "Stepney Primaries"
    assert saved.kind is ClusterKind.GEOGRAPHICAL
    assert [s.name for s in saved.schools] == [
        "Arnhem Wharf Primary School",
        "Bangabandhu Primary School",
        "Bigland Green Primary School",
    ]
    assert saved.lead_label == "Amina Rahman (Arnhem Wharf Primary School)"
    # A school may be in several clusters.
    other = cluster(services, "Wapping", [ids[0], ids[3]], "mat")
    of_school = services.clusters.clusters_of_school(services.actor, ids[0])
    assert sorted(c.id for c in of_school) == sorted([saved.id, other])
    # The lead's school leaving the cluster takes the lead's school with it, or is refused.
    leaving = replace(saved.as_input(), school_ids=(ids[1], ids[3]))
    with pytest.raises(ValidationError, match="lead contact's school must be in the cluster"):
        services.clusters.save_cluster(services.actor, leaving, saved.id, saved.version)
    changed = services.clusters.save_cluster(
        services.actor, replace(leaving, lead_school_id=None), saved.id, saved.version
    )
    assert set(changed.school_ids) == {ids[1], ids[3]}
    assert services.clusters.find_cluster(services.actor, "stepney primaries").id == saved.id


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"school_ids": "one"}, "school_ids", "at least two schools"),
        ({"name": ""}, "name", "Name is required"),
        ({"kind": "village"}, "kind", "not a kind of cluster"),
        ({"lead_contact_email": "not an email"}, "lead_contact_email", ""),
        ({"name": "stepney"}, "name", "already a cluster called Stepney"),
    ],
)
def test_bad_clusters_are_refused_and_nothing_is_saved(
    services: Services, db: Database, change: dict, field: str, words: str
) -> None:
    ids = schools(services, 3)
    cluster(services, "Stepney", ids[:2])
    values = {"name": "Bow", "kind": "geographical", "school_ids": tuple(ids)}
    if change.get("school_ids") == "one":
        change = {"school_ids": (ids[0],)}
    values.update(change)
    before = review_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.clusters.save_cluster(services.actor, ClusterInput(**values))
    assert field in refused.value.field_errors
    assert words in refused.value.field_errors[field]
    assert review_sums(db) == before


def test_clusters_are_proposed_by_trust_phase_and_diocese(services: Services) -> None:
    ids = schools(
        services, 5, trusts={0: "Tower Learning Trust", 1: "Tower Learning Trust", 2: "Solo Trust"}
    )
    cluster(services, "Tower Learning Trust", ids[:2], "mat")
    by_trust = services.clusters.propose_clusters(services.actor, "trust")
    assert [(p.name, p.kind, len(p.schools)) for p in by_trust] == [
        ("Tower Learning Trust", ClusterKind.MAT, 2)
    ]  # a trust of one school is no cluster
    assert by_trust[0].exists is not None
    by_phase = services.clusters.propose_clusters(services.actor, "phase")
    assert [(p.name, len(p.schools)) for p in by_phase] == [("Primary", 5)]
    assert services.clusters.propose_clusters(services.actor, "diocese") == []
    with pytest.raises(ValidationError):
        services.clusters.propose_clusters(services.actor, "postcode")


def test_a_cluster_with_reviews_is_retired_not_deleted(services: Services, db: Database) -> None:
    ids = schools(services, 3)
    used = services.clusters.get_cluster(services.actor, cluster(services, "Bow", ids))
    spare = services.clusters.get_cluster(services.actor, cluster(services, "Spare", ids[:2]))
    cycle = services.reviews.save_cycle(services.actor, CycleInput("2025/26"))
    from thep_desktop.services.peer_reviews.review_data import ReviewInput

    services.reviews.save_review(
        services.actor, ReviewInput(cycle.id, ids[0], used.id, team_school_ids=(ids[1], ids[2]))
    )
    before = review_sums(db)
    with pytest.raises(ServiceError, match="Untick Active to retire it"):
        services.clusters.delete_cluster(services.actor, used.id, used.version)
    assert review_sums(db) == before
    services.clusters.delete_cluster(services.actor, spare.id, spare.version)
    with pytest.raises(NotFoundError):
        services.clusters.get_cluster(services.actor, spare.id)


def test_a_cluster_changed_meanwhile_is_not_overwritten(services: Services, db: Database) -> None:
    ids = schools(services, 3)
    first = services.clusters.get_cluster(services.actor, cluster(services, "Bow", ids))
    services.clusters.save_cluster(
        services.actor,
        replace(first.as_input(), notes="Meets on Tuesdays"),
        first.id,
        first.version,
    )
    before = review_sums(db)
    with pytest.raises(ConflictError):
        services.clusters.save_cluster(
            services.actor, replace(first.as_input(), name="Bow East"), first.id, first.version
        )
    assert review_sums(db) == before


def test_term_dates_are_proposed_then_saved_and_bank_holidays_come_from_the_package(
    services: Services,
) -> None:
    proposed = services.school_calendar.year_terms(services.actor, YEAR_2025)
    assert not proposed.saved
    assert [t.name for t in proposed.terms] == list(TermName)
    year_with_terms(services)
    saved = services.school_calendar.year_terms(services.actor, YEAR_2025)
    assert saved.saved and saved.terms == TERMS_2025
    assert services.school_calendar.saved_years(services.actor) == [YEAR_2025]
    holidays = services.school_calendar.bank_holidays(services.actor, YEAR_2025)
    assert date(2025, 12, 25) in holidays and date(2026, 4, 3) in holidays  # Good Friday
    assert date(2026, 5, 25) in holidays
    assert all(YEAR_2025.first_day <= day <= YEAR_2025.last_day for day in holidays)


@pytest.mark.parametrize(
    "terms",
    [
        # the autumn term ending before it starts
        (replace(TERMS_2025[0], ends_on=date(2025, 9, 1)), *TERMS_2025[1:]),
        # the spring term starting before the autumn term ends
        (TERMS_2025[0], replace(TERMS_2025[1], starts_on=date(2025, 12, 15)), TERMS_2025[2]),
        # a term missing
        TERMS_2025[:2],
        # half term outside its term
        (replace(TERMS_2025[0], half_term_starts_on=date(2026, 1, 5)), *TERMS_2025[1:]),
    ],
    ids=["ends-before-start", "overlapping", "missing", "half-term-outside"],
)
def test_bad_term_dates_are_refused_and_nothing_is_saved(
    services: Services, db: Database, terms: tuple
) -> None:
    before = review_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.school_calendar.save_terms(services.actor, YEAR_2025, terms)
    assert refused.value.field_errors
    assert all(message.strip() for message in refused.value.field_errors.values())
    assert review_sums(db) == before


def test_changed_terms_update_and_a_stale_save_is_refused(services: Services, db: Database) -> None:
    year_with_terms(services)
    loaded = services.school_calendar.year_terms(services.actor, YEAR_2025)
    moved = (replace(TERMS_2025[0], ends_on=date(2025, 12, 18)), *TERMS_2025[1:])
    services.school_calendar.save_terms(services.actor, YEAR_2025, moved, loaded.versions)
    assert services.school_calendar.year_terms(services.actor, YEAR_2025).terms == moved
    before = review_sums(db)
    with pytest.raises(ConflictError):
        services.school_calendar.save_terms(services.actor, YEAR_2025, TERMS_2025, loaded.versions)
    assert review_sums(db) == before


def test_closures_are_weekdays_and_refusals_save_nothing(services: Services, db: Database) -> None:
    ids = schools(services, 2)
    added = services.school_calendar.add_closures(
        services.actor,
        ClosureInput(ids[0], date(2025, 11, 21), date(2025, 11, 24), ClosureKind.INSET, "Training"),
    )
    assert [c.closed_on for c in added] == [date(2025, 11, 21), date(2025, 11, 24)]  # no weekend
    again = services.school_calendar.add_closures(
        services.actor, ClosureInput(ids[0], date(2025, 11, 24), None, "occasional")
    )
    assert again == []  # already recorded
    listed = services.school_calendar.closures(services.actor, YEAR_2025)
    assert [(c.school_name, c.closed_on, c.kind) for c in listed] == [
        ("Arnhem Wharf Primary School", date(2025, 11, 21), ClosureKind.INSET),
        ("Arnhem Wharf Primary School", date(2025, 11, 24), ClosureKind.INSET),
    ]
    before = review_sums(db)
    for bad in (
        ClosureInput(ids[1], date(2025, 11, 24), date(2025, 11, 20)),
        ClosureInput(ids[1], date(2025, 11, 22), date(2025, 11, 23)),  # a weekend
        ClosureInput(ids[1], date(2025, 9, 1), date(2025, 12, 19)),
    ):
        with pytest.raises(ValidationError):
            services.school_calendar.add_closures(services.actor, bad)
    assert review_sums(db) == before
    services.school_calendar.delete_closure(services.actor, listed[0].id, listed[0].version)
    assert len(services.school_calendar.closures(services.actor, YEAR_2025, ids[0])) == 1


def test_a_viewer_reads_but_changes_nothing(services: Services, db: Database) -> None:
    ids = schools(services, 2)
    viewer = Services(db, Actor("vera", Role.VIEWER))
    assert viewer.clusters.list_clusters(viewer.actor) == []
    before = review_sums(db)
    with pytest.raises(PermissionDeniedError):
        viewer.clusters.save_cluster(viewer.actor, ClusterInput("Bow", "geographical", tuple(ids)))
    with pytest.raises(PermissionDeniedError):
        viewer.school_calendar.save_terms(viewer.actor, AcademicYear(2025), ())
    assert review_sums(db) == before
