"""Demo data: loads a fictional London borough of about 90 schools into an empty register."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Contact, OfstedInspection, OrganisationProfile, School, SchoolNote
from thep_desktop.services.demo.demo_annual_report import annual_report_step
from thep_desktop.services.demo.demo_borough import schools_step, staff_step
from thep_desktop.services.demo.demo_governance import governance_step
from thep_desktop.services.demo.demo_inspections import inspections_step
from thep_desktop.services.demo.demo_invoices import invoices_step
from thep_desktop.services.demo.demo_members import members_step
from thep_desktop.services.demo.demo_people import people_step
from thep_desktop.services.demo.demo_profile import profile_step
from thep_desktop.services.demo.demo_reviews import reviews_step
from thep_desktop.services.demo.demo_steps import DemoStep, StepProgress
from thep_desktop.services.settings.organisation_service import DEFAULT_PROFILE
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.retry import save

SEED = 211


@dataclass(frozen=True)
class DemoSummary:
    """What a load added, for the status bar and the command line."""

    schools: int
    contacts: int
    staff: int
    inspections: int = 0
    notes: int = 0

    def __str__(self) -> str:
        return (
            f"{_count(self.schools, 'school')}, {_count(self.contacts, 'contact')}, "
            f"{_count(self.staff, 'link officer')}, "
            f"{_count(self.inspections, 'Ofsted inspection')} and "
            f"{_count(self.notes, 'note')} on schools"
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


# The demo is built by a sequence of steps, each given the session, its own seeded
# ``random.Random``, the acting user and its share of the progress bar. Later areas
# (memberships, invoices, peer-review clusters, governance meetings) add a step at the end;
# a step reads what earlier steps made from the session. Because each step has its own
# seed, adding a step never changes what the others produce.
DEMO_STEPS: tuple[DemoStep, ...] = (
    DemoStep("organisation profile", 1, profile_step),
    DemoStep("link officers", 2, staff_step),
    DemoStep("schools", 90, schools_step),
    DemoStep("office people", 1, people_step),
    DemoStep("members", 4, members_step),
    DemoStep("invoices", 6, invoices_step),
    DemoStep("peer reviews", 3, reviews_step),
    DemoStep("governance", 2, governance_step),
    DemoStep("inspections", 3, inspections_step),
    DemoStep("annual reports", 1, annual_report_step),
)


# -- the service ----------------------------------------------------------------------------------
class DemoService:
    def __init__(self, database: Database, steps: Sequence[DemoStep] = DEMO_STEPS) -> None:
        self.db = database
        self.steps = tuple(steps)

    @save
    def load(self, actor: Actor, progress: Progress | None = None) -> DemoSummary:
        """Fill an empty register with the demo borough, all in one transaction.

        Refuses a register that has any school. Cancelling through ``progress`` raises
        ``Cancelled`` and rolls everything back, leaving the database as it was.
        """
        actor.require(EDIT_SETTINGS)
        progress = progress if progress is not None else Progress()
        total = sum(step.weight for step in self.steps)
        try:
            with self.db.session() as session:
                # Locking the profile row first makes two loads on a server take turns,
                # so the second one sees the first one's schools and refuses.
                _locked_profile(session, actor)
                existing = session.scalar(select(func.count(School.id))) or 0
                if existing:
                    raise ServiceError(
                        f"The register already has {_count(existing, 'school')}; demo data "
                        "only goes into an empty database."
                    )
                done = 0
                for step in self.steps:
                    step_rng = random.Random(f"{SEED}/{step.name}")
                    step.run(
                        session, step_rng, actor, StepProgress(progress, done, step.weight, total)
                    )
                    done += step.weight
                summary = DemoSummary(
                    schools=session.scalar(select(func.count(School.id))) or 0,
                    contacts=session.scalar(select(func.count(Contact.id))) or 0,
                    staff=session.scalar(select(func.count(func.distinct(School.link_officer_id))))
                    or 0,
                    inspections=session.scalar(select(func.count(OfstedInspection.id))) or 0,
                    notes=session.scalar(select(func.count(SchoolNote.id))) or 0,
                )
        except IntegrityError:
            with self.db.read_session() as session:
                if not session.scalar(select(func.count(School.id))):
                    raise
            raise ServiceError(
                "Someone else added schools while the demo data was loading, so no demo data "
                "was added."
            ) from None
        return summary


def _locked_profile(session: Session, actor: Actor) -> OrganisationProfile:
    profile = session.scalar(
        select(OrganisationProfile).order_by(OrganisationProfile.id).limit(1).with_for_update()
    )
    if profile is None:
        profile = OrganisationProfile(
            **DEFAULT_PROFILE, created_by=actor.name, updated_by=actor.name
        )
        session.add(profile)
        session.flush()
    return profile
