"""Peer reviews' confirmation letters: the PDF's names and dates, the records, the refusals."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from invoice_records import set_up_office, table_sums
from pypdf import PdfReader
from review_records import cluster as make_cluster
from review_records import cycle, review_sums, schools, year_with_terms

from thep_desktop.database import Database
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models import Correspondence, Document
from thep_desktop.services.letters.letters_service import sent_elsewhere
from thep_desktop.services.peer_reviews.review_data import ReviewerInput, ReviewInput
from thep_desktop.services.peer_reviews.review_letters_service import review_values
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

LETTERS_TABLES = (Document, Correspondence)
TUESDAY = date(2025, 11, 4)
WEDNESDAY = date(2025, 11, 5)


@pytest.fixture
def services(db: Database, actor: Actor) -> Services:
    made = Services(db, actor)
    set_up_office(made)
    return made


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pages_text(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def review(
    services: Services,
    cycle_id: int,
    host: int,
    team: list[int],
    *,
    days: tuple[date, date] | None = (TUESDAY, WEDNESDAY),
    reviewers: tuple[ReviewerInput, ...] = (),
    cluster_id: int | None = None,
    focus: str = "Reading in Key Stage 2\nAttendance",
) -> int:
    starts, ends = days if days else (None, None)
    saved = services.reviews.save_review(
        services.actor,
        ReviewInput(
            cycle_id=cycle_id,
            host_school_id=host,
            cluster_id=cluster_id,
            starts_on=starts,
            ends_on=ends,
            team_school_ids=tuple(team),
            reviewers=reviewers,
            focus=focus,
        ),
    )
    return saved.review.id


@pytest.fixture
def planned(services: Services) -> dict[str, int]:
    """Four schools in a cluster, the 2025/26 cycle, and one review of Arnhem Wharf by two."""
    ids = schools(services, 4)
    year_with_terms(services)
    cluster_id = make_cluster(services, "Isle of Dogs", ids)
    cycle_id = cycle(services)
    review_id = review(
        services,
        cycle_id,
        ids[0],
        [ids[1], ids[2]],
        cluster_id=cluster_id,
        reviewers=(
            ReviewerInput("Mr Tom Okafor", ids[1], "Headteacher", is_lead=True),
            ReviewerInput("Ms Helen Marsh", ids[2], "Deputy Headteacher"),
        ),
    )
    return {
        "cycle": cycle_id,
        "review": review_id,
        "cluster": cluster_id,
        "arnhem": ids[0],
        "bangabandhu": ids[1],
        "bigland": ids[2],
        "blue_gate": ids[3],
    }


def test_the_letters_name_the_host_the_reviewers_and_the_visit_days_in_words(
    services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "confirmations.pdf"
    result = services.review_letters.confirmations(
        services.actor, planned["cycle"], [planned["review"]], "both", out
    )
    assert (result.letters, result.to_hosts, result.to_reviewers) == (3, 1, 2)
    assert result.path == out and out.exists()
    pages = pages_text(out)
    text = " ".join(pages)
    host_letter = text.split("Peer review of Arnhem Wharf Primary School: confirmation")[0]
    assert "Confirmation of your peer review" in host_letter
    assert "Dear Ms Rahman" in host_letter  # the host's head, from the register
    assert "Tuesday 4 and Wednesday 5 November 2025 (two days)" in host_letter
    assert "Bangabandhu Primary School and Bigland Green Primary School" in host_letter
    assert "Mr Tom Okafor, Headteacher, Bangabandhu Primary School (lead reviewer)" in host_letter
    assert "Ms Helen Marsh, Deputy Headteacher, Bigland Green Primary School" in host_letter
    assert "Cluster: Isle of Dogs" in host_letter
    assert "Reading in Key Stage 2" in host_letter and "Attendance" in host_letter
    assert "2025/26" in host_letter
    assert "Grace Adeyemi" in host_letter  # signed by the office's signatory
    # One letter to each reviewing school's head: whom they review, when, where.
    assert text.count("Peer review of Arnhem Wharf Primary School: confirmation") == 2
    assert "Dear Ms Okafor" in text and "Dear Ms Marsh" in text
    assert "School reviewed: Arnhem Wharf Primary School, 1 School Lane, London, E1 2AA" in text
    assert "Lead reviewer: Mr Tom Okafor, Headteacher, Bangabandhu Primary School" in text


def test_each_letter_is_recorded_in_its_schools_correspondence(
    services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "confirmations.pdf"
    result = services.review_letters.confirmations(
        services.actor, planned["cycle"], [planned["review"]], "both", out
    )
    letters, actor = services.letters, services.actor
    host = letters.correspondence(actor, planned["arnhem"])
    assert [r.template_name for r in host] == ["Confirmation of your peer review"]
    for school in ("bangabandhu", "bigland"):
        rows = letters.correspondence(actor, planned[school])
        assert [r.subject for r in rows] == [
            "Peer review of Arnhem Wharf Primary School: confirmation"
        ]
    assert letters.correspondence(actor, planned["blue_gate"]) == []
    assert result.document_id and result.pages == sum(
        r.pages
        for s in ("arnhem", "bangabandhu", "bigland")
        for r in letters.correspondence(actor, planned[s])
    )


def test_host_only_and_reviewers_only(
    services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    hosts = services.review_letters.confirmations(
        services.actor, planned["cycle"], [planned["review"]], "host", tmp_path / "h.pdf"
    )
    assert (hosts.letters, hosts.to_hosts) == (1, 1)
    assert "Confirmation of your peer review" in pdf_text(tmp_path / "h.pdf")
    reviewers = services.review_letters.confirmations(
        services.actor, planned["cycle"], [planned["review"]], "reviewers", tmp_path / "r.pdf"
    )
    assert (reviewers.letters, reviewers.to_reviewers) == (2, 2)
    assert "Confirmation of your peer review" not in pdf_text(tmp_path / "r.pdf")


def test_one_day_visit_and_a_school_with_no_named_reviewer(
    services: Services, planned: dict[str, int], tmp_path: Path
) -> None:
    other = review(
        services,
        planned["cycle"],
        planned["blue_gate"],
        [planned["arnhem"], planned["bigland"]],
        days=(date(2026, 1, 13), date(2026, 1, 13)),
        reviewers=(ReviewerInput("Ms Amina Rahman", planned["arnhem"], is_lead=True),),
        focus="",
        cluster_id=planned["cluster"],
    )
    out = tmp_path / "one.pdf"
    services.review_letters.confirmations(services.actor, planned["cycle"], [other], "host", out)
    text = pdf_text(out)
    assert "Tuesday 13 January 2026 (one day)" in text
    assert "a reviewer from Bigland Green Primary School, to be named by the school" in text
    assert "to be agreed with the lead reviewer before the visit" in text


def test_reviews_without_a_date_team_or_lead_are_refused_and_nothing_changes(
    services: Services, planned: dict[str, int], tmp_path: Path, db: Database
) -> None:
    undated = review(services, planned["cycle"], planned["bigland"], [planned["arnhem"]], days=None)
    no_team = review(services, planned["cycle"], planned["blue_gate"], [])
    no_lead = review(
        services,
        planned["cycle"],
        planned["bangabandhu"],
        [planned["blue_gate"]],
        reviewers=(ReviewerInput("Ms Sadia Begum", planned["blue_gate"]),),
    )
    before = table_sums(db, LETTERS_TABLES), review_sums(db)
    folder = tmp_path / "letters"
    folder.mkdir()
    out = folder / "refused.pdf"
    with pytest.raises(ValidationError) as refused:
        services.review_letters.confirmations(
            services.actor,
            planned["cycle"],
            [planned["review"], undated, no_team, no_lead],
            "both",
            out,
        )
    message = refused.value.message
    assert "Bigland Green Primary School: it has no visit date" in message
    assert "Blue Gate Fields Infants' School: it has no reviewing schools" in message
    assert "Bangabandhu Primary School: no lead reviewer is named" in message
    assert "Arnhem Wharf" not in message
    assert list(folder.iterdir()) == []
    assert (table_sums(db, LETTERS_TABLES), review_sums(db)) == before


def test_other_refusals_change_nothing(
    services: Services, planned: dict[str, int], tmp_path: Path, db: Database
) -> None:
    before = table_sums(db, LETTERS_TABLES), review_sums(db)
    confirm = services.review_letters.confirmations
    folder = tmp_path / "letters"
    folder.mkdir()
    cases = [
        ((planned["cycle"], [planned["review"]], "everyone", folder / "a.pdf"), "host"),
        ((planned["cycle"], [planned["review"]], "both", folder / "a.docx"), "PDF"),
        ((planned["cycle"], [planned["review"]], "both", folder / "gone" / "a.pdf"), "gone"),
        ((planned["cycle"], [], "both", folder / "a.pdf"), "Choose the reviews"),
        ((planned["cycle"], [planned["review"] + 999], "both", folder / "a.pdf"), "no longer"),
    ]
    for args, words in cases:
        with pytest.raises(ServiceError) as refused:
            confirm(services.actor, *args)
        assert words in refused.value.message
    clerk = Actor("sam.clerk", Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        confirm(clerk, planned["cycle"], [planned["review"]], "both", folder / "a.pdf")
    assert list(folder.iterdir()) == []
    assert (table_sums(db, LETTERS_TABLES), review_sums(db)) == before


def test_the_mail_merge_refuses_the_confirmation_templates(
    services: Services, planned: dict[str, int], tmp_path: Path, db: Database
) -> None:
    letters, actor = services.letters, services.actor
    before = table_sums(db, LETTERS_TABLES)
    for key in ("review_confirmation_host", "review_confirmation_reviewer"):
        template = letters.find_template(actor, key)
        assert "Peer reviews tab" in sent_elsewhere(template)
        with pytest.raises(ServiceError) as refused:
            letters.produce(
                actor,
                template.id,
                [planned["arnhem"]],
                "Head teacher",
                combined_file=tmp_path / "merge.pdf",
            )
        assert "is about one peer review" in refused.value.message
    assert not (tmp_path / "merge.pdf").exists()
    assert table_sums(db, LETTERS_TABLES) == before


def test_review_values_across_months_and_without_a_cluster(
    services: Services, planned: dict[str, int]
) -> None:
    detail = services.reviews.get_review(services.actor, planned["review"])
    values = review_values(detail, "Behaviour")
    assert values["review.visit_dates"] == "Tuesday 4 and Wednesday 5 November 2025"
    assert values["review.focus"] == "Reading in Key Stage 2; Attendance"
    assert values["review.team"] == "Bangabandhu Primary School and Bigland Green Primary School"
    from dataclasses import replace

    moved = replace(
        detail,
        starts_on=date(2025, 10, 31),
        ends_on=date(2025, 11, 1),
        focus="",
        cluster_name="",
        cluster_id=None,
    )
    values = review_values(moved, "Behaviour\nSEND")
    assert values["review.visit_dates"] == "Friday 31 October and Saturday 1 November 2025"
    assert values["review.focus_list"] == "- Behaviour\n- SEND"
    assert values["review.cluster"] == "none"


def test_a_file_that_cannot_take_its_place_takes_its_records_back(
    services: Services, planned: dict[str, int], tmp_path: Path, db: Database
) -> None:
    folder = tmp_path / "letters"
    (folder / "confirmations.pdf").mkdir(parents=True)  # a folder where the file should go
    before = table_sums(db, LETTERS_TABLES), review_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.review_letters.confirmations(
            services.actor,
            planned["cycle"],
            [planned["review"]],
            "both",
            folder / "confirmations.pdf",
        )
    assert "No letters were recorded." in refused.value.message
    assert [p.name for p in folder.iterdir()] == ["confirmations.pdf"]
    assert (folder / "confirmations.pdf").is_dir()
    assert (table_sums(db, LETTERS_TABLES), review_sums(db)) == before


def test_cancelled_while_laying_out_leaves_nothing(
    services: Services, planned: dict[str, int], tmp_path: Path, db: Database
) -> None:
    progress = Progress()
    progress.cancel()
    before = table_sums(db, LETTERS_TABLES), review_sums(db)
    with pytest.raises(Cancelled):
        services.review_letters.confirmations(
            services.actor,
            planned["cycle"],
            [planned["review"]],
            "both",
            tmp_path / "cancelled.pdf",
            progress=progress,
        )
    assert not (tmp_path / "cancelled.pdf").exists()
    assert (table_sums(db, LETTERS_TABLES), review_sums(db)) == before


def test_the_template_editor_previews_the_confirmations_with_example_values(
    services: Services,
) -> None:
    letters, actor = services.letters, services.actor
    for key, subject in (
        ("review_confirmation_host", "Confirmation of your peer review"),
        ("review_confirmation_reviewer", "Peer review of Cayley Primary School: confirmation"),
    ):
        template = letters.find_template(actor, key)
        reader = PdfReader(io.BytesIO(letters.preview(actor, template.as_input())))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert subject in text
        assert "Tuesday 4 and Wednesday 5 November 2025" in text
        assert "Mr Mark Ellis, Headteacher, Globe Primary School (lead reviewer)" in text
        assert len(reader.pages) == 1  # the whole letter on one page
