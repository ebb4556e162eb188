"""The demo's organisation profile: the letterhead and footer details a letter needs."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.models import OrganisationProfile
from thep_desktop.services.demo.demo_borough import LA_CODE
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.shared.actor import Actor

DEMO_PROFILE = {
    "la_code": LA_CODE,
    "phone": "020 7946 0000",
    "company_number": "09990001",
    "charity_number": "1179999",
    "registered_office": (
        "c/o Professional Development Centre\n229 Bethnal Green Road\nLondon E2 6AB"
    ),
    "bank_name": "Example Bank plc",
    "bank_account_name": "Tower Hamlets Education Partnership",
    "bank_sort_code": "000000",
    "bank_account_number": "00012345",
}


def profile_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The profile's blanks filled, so letters show a full letterhead and footer.

    The company and charity numbers and the bank details are made up; what the office
    typed stays.
    """
    profile = session.scalar(select(OrganisationProfile).order_by(OrganisationProfile.id))
    assert profile is not None
    for name, value in DEMO_PROFILE.items():
        if not getattr(profile, name):
            setattr(profile, name, value)
            profile.updated_by = actor.name
    progress.report(1, 1, "Organisation profile")
