"""The demo's organisation profile: the letterhead and footer details a letter needs."""

from __future__ import annotations

import io
import math
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.models import OrganisationProfile
from thep_desktop.services.demo.demo_borough import DEMO_SECRETARY, DEMO_SIGNATORY, LA_CODE
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
    "signatory_name": DEMO_SIGNATORY[0],
    "signatory_position": DEMO_SIGNATORY[1],
    "company_secretary": DEMO_SECRETARY[0],
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
    if profile.signatory_name == DEMO_SIGNATORY[0] and not profile.signature_image:
        profile.signature_image = demo_signature(DEMO_SIGNATORY[0])
        profile.signature_image_filename = "signature.png"
    progress.report(1, 1, "Organisation profile")


def demo_signature(name: str) -> bytes:
    """A made-up handwritten-looking signature for ``name``, as a PNG (never a real one)."""
    from PIL import Image, ImageDraw  # Pillow comes with reportlab

    rng = random.Random(name)
    image = Image.new("RGBA", (480, 120), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    ink = (20, 40, 110, 255)
    # One loop per letter, as joined-up writing goes: tall for capitals, slanted forward.
    points: list[tuple[float, float]] = []
    x = 14.0
    for letter in name.replace(" ", ""):
        height = rng.uniform(28, 36) if letter.isupper() else rng.uniform(10, 16)
        width = rng.uniform(9, 13)
        for step in range(13):
            turn = 2 * math.pi * step / 12
            y = 88 - height * (1 - math.cos(turn)) / 2
            loop = -0.55 * width * math.sin(turn)  # back a little at the top: a loop
            points.append((x + width * step / 12 + loop + 0.35 * (88 - y), y))
        x += width + 2
    pen.line(points, fill=ink, width=3, joint="curve")
    pen.line([(14, 102), (x * 0.6, 99), (x + 6, 96)], fill=ink, width=2, joint="curve")
    image = image.crop((0, 44, min(480, int(x) + 24), 108))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
