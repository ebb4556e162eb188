"""``thep-admin letters render --to cluster:NAME``: a mailing to a peer-review cluster's schools."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from invoice_records import set_up_office
from pypdf import PdfReader
from review_records import cluster, schools
from sqlalchemy import text

from thep_desktop.cli.admin import main
from thep_desktop.database import Database
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor


@pytest.fixture
def office(migrated_db: str) -> str:
    """Five schools, two clusters (one with a closed school), a letter for them."""
    services, _note = open_services(migrated_db, Actor("office"))
    try:
        set_up_office(services)
        ids = schools(services, 5)
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
        cluster(services, "Isle of Dogs", [ids[0], ids[1], closed.id])
        cluster(services, "Bow", [ids[2], ids[3]])
        services.letters.create_template(
            services.actor,
            TemplateInput(
                name="Cluster news", subject="News for {school.name}", body="Dear colleagues."
            ),
        )
    finally:
        services.close()
    return migrated_db


def letters_sent(address: str) -> int:
    db = Database(address)
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM correspondence")).scalar_one()
    finally:
        db.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_cluster_in_any_case_gets_the_letters_its_open_schools_only(
    capsys: pytest.CaptureFixture[str], office: str, tmp_path: Path
) -> None:
    target = tmp_path / "cluster.pdf"
    code, out, err = run(
        capsys, "--db", office, "letters", "render", "Cluster news",
        "--to", "cluster:ISLE of dogs", "--out", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert "2 letters" in out
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "News for Arnhem Wharf Primary School" in pdf
    assert "News for Bangabandhu Primary School" in pdf
    assert "Old Ford" not in pdf and "Bigland" not in pdf  # closed; in another cluster
    assert letters_sent(office) == 2


def test_an_unknown_cluster_is_refused_with_the_clusters_there_are(
    capsys: pytest.CaptureFixture[str], office: str, tmp_path: Path
) -> None:
    target = tmp_path / "cluster.pdf"
    code, out, err = run(
        capsys, "--db", office, "letters", "render", "Cluster news",
        "--to", "cluster:Poplar", "--out", str(target),
    )  # fmt: skip
    assert code != 0 and out == ""
    assert "There is no cluster called 'Poplar'" in err
    assert "Bow, Isle of Dogs" in err
    code, _out, err = run(
        capsys, "--db", office, "letters", "render", "Cluster news",
        "--to", "cluster:", "--out", str(target),
    )  # fmt: skip
    assert code != 0 and "Give the cluster's name after cluster:" in err
    assert not target.exists() and letters_sent(office) == 0
