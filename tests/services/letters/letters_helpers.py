"""What the letters service tests share: names, a template maker, PDF readers."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from thep_desktop.services.letters.letters_service import (
    LettersService,
    TemplateInput,
)
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.shared.actor import Actor

ADVERSARIAL = "St Mary & St John's <Primary>"
WHEN = date(2026, 11, 22)
DIRECTOR = "Grace Adeyemi"
SECRETARY = "Samuel Okafor"


def qpdf_check(path: Path) -> None:
    """Every PDF the mail merge writes is well formed (when qpdf is installed, as in CI)."""
    if shutil.which("qpdf") is None:
        return
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def nothing_sent(letters: LettersService, actor: Actor, schools) -> bool:  # type: ignore[no-untyped-def]
    """No school's history records a letter."""
    return all(letters.correspondence(actor, school.id) == [] for school in schools.values())


def set_signatories(db, actor: Actor, **changes: object) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationService(db)
    values: dict[str, object] = {
        "signatory_name": DIRECTOR,
        "signatory_position": "Executive Director",
        "company_secretary": SECRETARY,
    }
    values.update(changes)
    organisation.update_profile(actor, replace(organisation.get_profile(actor), **values))


def custom(letters: LettersService, actor: Actor, body: str, **kw) -> int:  # type: ignore[no-untyped-def]
    data = TemplateInput(
        name=kw.pop("name", "Custom"), subject="About {school.name}", body=body, **kw
    )
    return letters.create_template(actor, data).id


def signature_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 80), "navy").save(buffer, "PNG")
    return buffer.getvalue()
