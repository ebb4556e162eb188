"""Letter templates: built in and the office's own, their checks and signatories."""

from __future__ import annotations

import pytest
from letters_helpers import (  # tests/services/letters/letters_helpers.py
    custom,
)

from thep_desktop.services.letters.letters_service import (
    LettersService,
    TemplateInput,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    ServiceError,
    ValidationError,
)


def test_built_in_templates_are_there_once(letters: LettersService, actor: Actor) -> None:
    first = letters.list_templates(actor)
    again = letters.list_templates(actor)
    keys = sorted(t.key for t in first if t.key)
    assert keys == sorted(
        [
            "welcome",
            "notice_ack",
            "fee_letter",
            "payment_reminder",
            "review_visit",
            "general_meeting",
            "invoice_reminder_first",
            "invoice_reminder_second",
            "invoice_reminder_final",
            "review_confirmation_host",
            "review_confirmation_reviewer",
        ]
    )
    assert len(again) == len(first) and all(t.builtin for t in first)


def test_unknown_merge_field_is_refused_with_its_name(
    letters: LettersService, actor: Actor
) -> None:
    before = letters.list_templates(actor)
    with pytest.raises(ValidationError) as caught:
        custom(letters, actor, "Dear {contact.nmae}, your fee is {member.fee_due}.")
    assert "{contact.nmae}" in caught.value.field_errors["body"]
    assert letters.list_templates(actor) == before  # nothing saved
    assert "{member.fee_due}" not in caught.value.field_errors["body"]
    with pytest.raises(ValidationError) as caught:
        letters.preview(actor, TemplateInput(name="x", subject="{school.nam}", body="x"))
    assert "{school.nam}" in caught.value.field_errors["subject"]


def test_built_in_wording_can_be_changed_and_reset(letters: LettersService, actor: Actor) -> None:
    welcome = letters.find_template(actor, "welcome")
    data = welcome.as_input()
    data.body = "Welcome, {school.name}."
    changed = letters.update_template(actor, welcome.id, data, welcome.version)
    assert changed.changed_from_builtin
    with pytest.raises(ConflictError):
        letters.update_template(actor, welcome.id, data, welcome.version)  # stale version
    assert letters.get_template(actor, welcome.id) == changed  # the newer save stands
    reset = letters.reset_template(actor, welcome.id, changed.version)
    assert reset.body == welcome.body and not reset.changed_from_builtin
    with pytest.raises(ServiceError, match="cannot be deleted"):
        letters.delete_template(actor, welcome.id, reset.version)
    assert letters.get_template(actor, welcome.id) == reset


def test_own_templates_have_unique_names_and_can_be_deleted(
    letters: LettersService, actor: Actor
) -> None:
    template_id = custom(letters, actor, "Hello {school.name}")
    before = letters.list_templates(actor)
    with pytest.raises(ValidationError, match="already a template"):
        custom(letters, actor, "Another")
    assert letters.list_templates(actor) == before
    letters.delete_template(actor, template_id, 1)
    assert all(t.name != "Custom" for t in letters.list_templates(actor))


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"signatory_role": "Treasurer"}, "signatory", "Type who signs as Treasurer"),
        ({"signature_image": b"png"}, "signature_image", "goes with a named signatory"),
        (
            {"signatory": "Jo", "signature_image": b"not a picture"},
            "signature_image",
            "not an image this program can read",
        ),
    ],
)
def test_a_signatory_that_cannot_sign_is_refused_and_nothing_saved(
    letters: LettersService, actor: Actor, given, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = [(t.name, t.version) for t in letters.list_templates(actor)]
    with pytest.raises(ValidationError) as caught:
        letters.create_template(actor, TemplateInput(name="Signed", body="Hello", **given))
    assert message in caught.value.field_errors[field]
    assert [(t.name, t.version) for t in letters.list_templates(actor)] == before
