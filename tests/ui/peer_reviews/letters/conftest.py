"""The confirmation letters window's tests: a real database file with a cycle of reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from invoice_records import set_up_office
from review_records import cluster, cycle, schools, year_with_terms

from thep_desktop.services.peer_reviews.review_data import ReviewerInput, ReviewInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor, Role


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.sqlite3'}"


@pytest.fixture
def services(db_url: str, actor: Actor) -> Iterator[Services]:
    made, _note = open_services(db_url, actor, create=True)
    set_up_office(made)
    yield made
    made.close()


@pytest.fixture
def viewer(db_url: str, services: Services) -> Iterator[Services]:
    made, _note = open_services(db_url, Actor("visitor", Role.VIEWER))
    yield made
    made.close()


@pytest.fixture
def planned(services: Services) -> dict[str, int]:
    """Four schools of the Isle of Dogs cluster; a review of Arnhem Wharf by two, and one of
    Blue Gate Fields with no date yet."""
    ids = schools(services, 4)
    year_with_terms(services)
    cluster_id = cluster(services, "Isle of Dogs", ids)
    cycle_id = cycle(services)
    dated = services.reviews.save_review(
        services.actor,
        ReviewInput(
            cycle_id=cycle_id,
            host_school_id=ids[0],
            cluster_id=cluster_id,
            starts_on=date(2025, 11, 4),
            ends_on=date(2025, 11, 4),
            team_school_ids=(ids[1], ids[2]),
            reviewers=(
                ReviewerInput("Mr Tom Okafor", ids[1], "Headteacher", is_lead=True),
                ReviewerInput("Ms Helen Marsh", ids[2], "Headteacher"),
            ),
            focus="Reading in Key Stage 2",
        ),
    ).review
    undated = services.reviews.save_review(
        services.actor,
        ReviewInput(
            cycle_id=cycle_id, host_school_id=ids[3], cluster_id=cluster_id, team_school_ids=()
        ),
    ).review
    return {
        "cycle": cycle_id,
        "dated": dated.id,
        "undated": undated.id,
        "arnhem": ids[0],
        "bangabandhu": ids[1],
        "bigland": ids[2],
        "blue_gate": ids[3],
    }
