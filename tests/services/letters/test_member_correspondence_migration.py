"""Migration 0008: correspondence kept on the member; the built-in membership letters reworded."""

from __future__ import annotations

import importlib
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from thep_desktop.database import Database, alembic_config
from thep_desktop.models import LetterTemplate
from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY

MIGRATION = importlib.import_module("thep_desktop.migrations.versions.0008_member_correspondence")
KEYS = ("welcome", "notice_ack", "fee_letter", "payment_reminder")


def row(key: str, wording: dict[str, str]) -> dict[str, object]:
    shipped = BUILTINS_BY_KEY[key]
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    return {
        "uuid": uuid.uuid4(),
        "key": key,
        "name": shipped.name,
        "salutation": shipped.salutation,
        "sign_off": shipped.sign_off,
        "signatory": "",
        "signatory_role": "",
        "signature_image": None,
        "signature_image_filename": "",
        "contact_role": shipped.contact_role,
        "builtin": True,
        "created_at": now,
        "created_by": "office",
        "updated_at": now,
        "updated_by": "office",
        "version": 1,
        **wording,
    }


def test_the_migration_words_the_letters_as_the_program_ships_them() -> None:
    for key in KEYS:
        shipped = BUILTINS_BY_KEY[key]
        _before, now = MIGRATION.BUILTIN_WORDING[key]
        assert now == {
            "description": shipped.description,
            "subject": shipped.subject,
            "body": shipped.body,
        }
        assert "{school." not in shipped.body  # any member: a school, an organisation, a person


def test_letters_as_shipped_are_reworded_and_the_office_s_own_wording_kept(db: Database) -> None:
    config = alembic_config(db.engine)
    command.downgrade(config, "0007_memberships")
    table = LetterTemplate.__table__
    own = dict(MIGRATION.BUILTIN_WORDING["fee_letter"][0])
    own["body"] += "\n\nWe thank you for your continued support."
    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(table),
            [
                row("welcome", MIGRATION.BUILTIN_WORDING["welcome"][0]),
                row("notice_ack", MIGRATION.BUILTIN_WORDING["notice_ack"][0]),
                row("payment_reminder", MIGRATION.BUILTIN_WORDING["payment_reminder"][0]),
                row("fee_letter", own),  # changed by the office
            ],
        )
    command.upgrade(config, "head")
    with db.engine.connect() as connection:
        found = {
            r.key: r
            for r in connection.execute(sa.select(table.c.key, table.c.body, table.c.version))
        }
        columns = {c["name"]: c for c in sa.inspect(connection).get_columns("correspondence")}
    for key in ("welcome", "notice_ack", "payment_reminder"):
        assert found[key].body == BUILTINS_BY_KEY[key].body
        assert found[key].version == 2
    assert found["fee_letter"].body == own["body"] and found["fee_letter"].version == 1
    assert columns["school_id"]["nullable"] and columns["member_id"]["nullable"]

    # Back down: as shipped before again, and the office's own still untouched.
    command.downgrade(config, "0007_memberships")
    with db.engine.connect() as connection:
        bodies = dict(connection.execute(sa.select(table.c.key, table.c.body)).all())
        columns = {c["name"]: c for c in sa.inspect(connection).get_columns("correspondence")}
    assert bodies["welcome"] == MIGRATION.BUILTIN_WORDING["welcome"][0]["body"]
    assert bodies["fee_letter"] == own["body"]
    assert "member_id" not in columns and not columns["school_id"]["nullable"]
    command.upgrade(config, "head")
