"""A mailing to a peer-review cluster: its open schools, as "all open schools" are written to."""

from __future__ import annotations

from pathlib import Path

import pytest
from invoice_records import set_up_office
from letters_helpers import text_of  # tests/services/letters/letters_helpers.py
from review_records import cluster, schools

from thep_desktop.database import Database
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.peer_reviews.review_data import ClusterInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError


@pytest.fixture
def services(db: Database, actor: Actor) -> Services:
    made = Services(db, actor)
    set_up_office(made)
    return made


@pytest.fixture
def clusters(services: Services) -> dict[str, int]:
    """Isle of Dogs (two open schools and a closed one), Bow (two), and a retired cluster."""
    ids = schools(services, 6)
    closed = services.schools.create_school(
        services.actor,
        SchoolInput(
            urn="100999",
            name="Old Ford School",
            status="closed",
            close_date="31/08/2020",
            street="1 Old Ford Road",
            town="London",
            postcode="E3 2AA",
        ),
    )
    retired = services.clusters.save_cluster(
        services.actor, ClusterInput("Poplar", "geographical", (ids[4], ids[5]), active=False)
    )
    return {
        "isle": cluster(services, "Isle of Dogs", [ids[1], closed.id, ids[0]]),
        "bow": cluster(services, "Bow", [ids[2], ids[3]]),
        "retired": retired.id,
        "arnhem": ids[0],
        "bangabandhu": ids[1],
        "bigland": ids[2],
        "blue_gate": ids[3],
    }


def test_a_clusters_open_schools_in_name_order(
    services: Services, clusters: dict[str, int]
) -> None:
    letters, actor = services.letters, services.actor
    assert letters.cluster_school_ids(actor, clusters["isle"]) == [
        clusters["arnhem"],
        clusters["bangabandhu"],
    ]
    audiences = letters.cluster_audiences(actor)
    assert [(a.name, a.school_ids) for a in audiences] == [
        ("Bow", (clusters["bigland"], clusters["blue_gate"])),
        ("Isle of Dogs", (clusters["arnhem"], clusters["bangabandhu"])),
    ]  # the retired cluster is not offered
    with pytest.raises(NotFoundError):
        letters.cluster_school_ids(actor, clusters["isle"] + 999)


def test_a_mailing_to_a_cluster_writes_to_its_schools_and_records_each(
    services: Services, clusters: dict[str, int], tmp_path: Path
) -> None:
    letters, actor = services.letters, services.actor
    template = letters.create_template(
        actor, TemplateInput(name="Cluster news", subject="News for {school.name}", body="Hello.")
    )
    out = tmp_path / "letters"
    out.mkdir()
    ids = letters.cluster_school_ids(actor, clusters["isle"])
    result = letters.produce(
        actor, template.id, ids, "Head teacher", combined_file=out / "cluster.pdf"
    )
    assert result.letters == 2 and not result.skipped
    text = text_of((out / "cluster.pdf").read_bytes())
    assert "News for Arnhem Wharf Primary School" in text
    assert "News for Bangabandhu Primary School" in text
    assert "Old Ford" not in text and "Bigland" not in text
    for school in ("arnhem", "bangabandhu"):
        assert [r.subject for r in letters.correspondence(actor, clusters[school])] == [
            f"News for {'Arnhem Wharf' if school == 'arnhem' else 'Bangabandhu'} Primary School"
        ]
    assert letters.correspondence(actor, clusters["bigland"]) == []
