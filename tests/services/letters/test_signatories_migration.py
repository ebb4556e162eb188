"""Migration 0003 on a database of 0002: built-in templates move to named signatories."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from thep_desktop.database import Database, alembic_config, head_revision
from thep_desktop.models import LetterTemplate
from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.shared.actor import Actor

OLD_COLUMNS = (
    "uuid", "key", "name", "description", "subject", "salutation", "body", "sign_off",
    "signatory", "signatory_role", "contact_role", "builtin", "created_at", "created_by",
    "updated_at", "updated_by", "version",
)  # fmt: skip


def old_row(key: str, **signing: str) -> dict[str, object]:
    shipped = BUILTINS_BY_KEY[key]
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    return {
        "uuid": uuid.uuid4(),
        "key": key,
        "name": shipped.name,
        "description": shipped.description,
        "subject": shipped.subject,
        "salutation": shipped.salutation,
        "body": shipped.body,
        "contact_role": shipped.contact_role,
        "builtin": True,
        "created_at": now,
        "created_by": "office",
        "updated_at": now,
        "updated_by": "office",
        "version": 1,
        **signing,
    }


def test_built_in_templates_as_shipped_before_take_the_named_signatories(
    db: Database, actor: Actor
) -> None:
    config = alembic_config(db.engine)
    command.downgrade(config, "0002_letters")
    try:
        table = sa.table(
            "letter_template",
            *(sa.column(n, LetterTemplate.__table__.c[n].type) for n in OLD_COLUMNS),
        )
        as_shipped = {"signatory": "", "sign_off": "Yours sincerely"}
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(table),
                [
                    old_row("welcome", **as_shipped, signatory_role="Executive Director"),
                    old_row("notice_ack", **as_shipped, signatory_role="Executive Director"),
                    old_row(
                        "payment_reminder",
                        signatory="",
                        signatory_role="Treasurer",
                        sign_off="Yours faithfully",
                    ),
                    old_row(
                        "general_meeting",
                        signatory="",
                        signatory_role="Company Secretary",
                        sign_off="By order of the Board",
                    ),
                    # The office named its own signatory: kept as it was.
                    old_row(
                        "review_visit",
                        signatory="Kwame Mensah",
                        signatory_role="Executive Director",
                        sign_off="Yours sincerely",
                    ),
                ],
            )
    finally:
        command.upgrade(config, "head")
    assert db.current_revision() == head_revision()

    templates = {t.key: t for t in LettersService(db).list_templates(actor)}
    for key in ("welcome", "notice_ack", "payment_reminder", "general_meeting", "fee_letter"):
        assert not templates[key].changed_from_builtin, key
    assert templates["welcome"].signatory == "" and templates["welcome"].signatory_role == ""
    assert templates["payment_reminder"].sign_off == "Yours sincerely"
    notice = templates["general_meeting"]
    assert (notice.signatory, notice.signatory_role) == (
        "{org.company_secretary}",
        "Company Secretary",
    )
    assert notice.sign_off == "By order of the Board"
    visit = templates["review_visit"]
    assert (visit.signatory, visit.signatory_role) == ("Kwame Mensah", "Executive Director")
    assert visit.signature_image is None and visit.signature_image_filename == ""
