"""Schools, clusters, term dates and cycles for the peer-review tests, made through the services."""

from __future__ import annotations

from datetime import date

from invoice_records import table_sums

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.peer_reviews import Term, TermName
from thep_desktop.models import (
    Cluster,
    ClusterSchool,
    Review,
    ReviewCycle,
    Reviewer,
    ReviewSchool,
    SchoolClosure,
    TermDates,
)
from thep_desktop.services.peer_reviews.review_data import ClusterInput, CycleInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput

REVIEW_TABLES = (
    Cluster,
    ClusterSchool,
    TermDates,
    SchoolClosure,
    ReviewCycle,
    Review,
    ReviewSchool,
    Reviewer,
)

# Real Tower Hamlets primary schools (DfE's school information, 2023/24), with made-up heads.
SCHOOLS = (
    ("100929", "Arnhem Wharf Primary School", "Amina Rahman"),
    ("100932", "Bangabandhu Primary School", "Tom Okafor"),
    ("100933", "Bigland Green Primary School", "Helen Marsh"),
    ("100936", "Blue Gate Fields Infants' School", "Sadia Begum"),
    ("100940", "Canon Barnett Primary School", "Peter Walsh"),
    ("100941", "Cayley Primary School", "Ruth Adeyemi"),
    ("100944", "Columbia Primary School", "David Chen"),
    ("100946", "Cubitt Town Junior School", "Fatima Khatun"),
    ("100949", "Globe Primary School", "Mark Ellis"),
    ("100951", "Harry Gosling Primary School", "Nadia Hussain"),
    ("100955", "Hermitage Primary School", "James Byrne"),
    ("100958", "John Scurr Primary School", "Laura Price"),
)

# 2025/26 in Tower Hamlets (the borough's published pattern).
TERMS_2025 = (
    Term(
        TermName.AUTUMN,
        date(2025, 9, 3),
        date(2025, 12, 19),
        date(2025, 10, 27),
        date(2025, 10, 31),
    ),
    Term(
        TermName.SPRING, date(2026, 1, 5), date(2026, 3, 27), date(2026, 2, 16), date(2026, 2, 20)
    ),
    Term(
        TermName.SUMMER, date(2026, 4, 13), date(2026, 7, 21), date(2026, 5, 25), date(2026, 5, 29)
    ),
)
YEAR_2025 = AcademicYear(2025)


def schools(services: Services, count: int, trusts: dict[int, str] | None = None) -> list[int]:
    """The first ``count`` schools of SCHOOLS in the register; ``trusts`` by position."""
    ids = []
    for position, (urn, name, head) in enumerate(SCHOOLS[:count]):
        first, last = head.split(" ", 1)
        made = services.schools.create_school(
            services.actor,
            SchoolInput(
                urn=urn,
                name=name,
                phase="Primary",
                la_code="211",
                postcode="E1 2AA",
                street="1 School Lane",
                town="London",
                email=f"head@{urn}.sch.uk",
                head_title="Ms",
                head_first_name=first,
                head_last_name=last,
                head_job_title="Headteacher",
                trust=(trusts or {}).get(position, ""),
            ),
        )
        ids.append(made.id)
    return ids


def cluster(
    services: Services, name: str, school_ids: list[int], kind: str = "geographical"
) -> int:
    return services.clusters.save_cluster(
        services.actor, ClusterInput(name, kind, tuple(school_ids))
    ).id


def year_with_terms(services: Services) -> AcademicYear:
    services.school_calendar.save_terms(services.actor, YEAR_2025, TERMS_2025)
    return YEAR_2025


def cycle(services: Services, **rules: object) -> int:
    return services.reviews.save_cycle(services.actor, CycleInput("2025/26", **rules)).id  # type: ignore[arg-type]


def review_sums(db: Database) -> dict[str, tuple[int, str]]:
    """Every peer-review table's row count and checksum (refusals change none)."""
    return table_sums(db, REVIEW_TABLES)
