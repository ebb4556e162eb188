"""signatories: who signs each letter template, and the organisation's default signatory

Revision ID: 0003_signatories
Revises: 0002_letters
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_signatories"
down_revision = "0002_letters"
branch_labels = None
depends_on = None

# Built-in templates still worded as shipped before named signatories: they printed a role
# under a blank name. Now a blank name means the organisation's default signatory, and the
# notice of a general meeting is signed by the company secretary named in the profile.
_SHIPPED_ROLES = {
    "welcome": "Executive Director",
    "notice_ack": "Executive Director",
    "fee_letter": "Executive Director",
    "review_visit": "Executive Director",
    "payment_reminder": "Treasurer",
}


def upgrade() -> None:
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature_image", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "signature_image_filename", sa.String(length=255), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.alter_column("signature_image_filename", server_default=None)

    with op.batch_alter_table("organisation_profile", schema=None) as batch_op:
        for name in ("signatory_name", "signatory_position", "company_secretary"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=200), nullable=False, server_default="")
            )
        batch_op.add_column(sa.Column("signature_image", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "signature_image_filename", sa.String(length=255), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("organisation_profile", schema=None) as batch_op:
        for name in (
            "signatory_name",
            "signatory_position",
            "company_secretary",
            "signature_image_filename",
        ):
            batch_op.alter_column(name, server_default=None)

    template = sa.table(
        "letter_template",
        sa.column("key", sa.String),
        sa.column("signatory", sa.String),
        sa.column("signatory_role", sa.String),
        sa.column("sign_off", sa.String),
    )
    for key, role in _SHIPPED_ROLES.items():
        op.execute(
            template.update()
            .where(
                template.c.key == key,
                template.c.signatory == "",
                template.c.signatory_role == role,
            )
            .values(signatory_role="")
        )
    op.execute(
        template.update()
        .where(
            template.c.key == "payment_reminder",
            template.c.sign_off == "Yours faithfully",
        )
        .values(sign_off="Yours sincerely")
    )
    op.execute(
        template.update()
        .where(template.c.key == "general_meeting", template.c.signatory == "")
        .values(signatory="{org.company_secretary}")
    )


def downgrade() -> None:
    with op.batch_alter_table("organisation_profile", schema=None) as batch_op:
        for name in (
            "signature_image_filename",
            "signature_image",
            "company_secretary",
            "signatory_position",
            "signatory_name",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.drop_column("signature_image_filename")
        batch_op.drop_column("signature_image")
