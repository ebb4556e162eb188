"""Organisation profile and staff list services, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from thep_desktop.database import Database
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.settings.staff_service import StaffInput, StaffService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_first_use_gives_the_default_profile(db: Database, actor: Actor) -> None:
    profile = OrganisationService(db).get_profile(actor)
    assert profile.name == "Tower Hamlets Education Partnership"
    assert profile.postcode == "E2 6AB"
    assert profile.la_code == "211"
    assert profile.version == 1


def test_profile_saves_normalised_values_and_a_logo(db: Database, actor: Actor) -> None:
    service = OrganisationService(db)
    profile = service.get_profile(actor)
    logo = png_bytes()
    saved = service.update_profile(
        actor,
        replace(
            profile,
            company_number="09876543",
            vat_number="gb980780684",
            bank_sort_code="200000",
            bank_account_number="12345678",
            logo=logo,
            logo_filename="logo.png",
        ),
    )
    assert saved.vat_number == "GB 980 7806 84"
    assert saved.bank_sort_code == "20-00-00"
    assert saved.logo == logo
    assert service.get_profile(actor) == saved


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "info at partnership", "is not an email address"),
        ("bank_sort_code", "12-34", "is not a sort code"),
        ("company_number", "123", "is not a company number"),
        ("vat_number", "GB12", "is not a UK VAT number"),
        ("name", "", "Organisation name is required"),
        ("logo", b"%PDF-1.4 not an image", "not an image"),
    ],
)
def test_bad_profile_values_are_refused(
    db: Database, actor: Actor, field: str, value: object, message: str
) -> None:
    service = OrganisationService(db)
    profile = service.get_profile(actor)
    with pytest.raises(ValidationError) as caught:
        service.update_profile(actor, replace(profile, **{field: value}))
    assert message in caught.value.field_errors[field]
    assert service.get_profile(actor) == profile


def test_profile_changed_meanwhile_is_not_overwritten(db: Database, actor: Actor) -> None:
    service = OrganisationService(db)
    mine = service.get_profile(actor)
    service.update_profile(Actor("treasurer", Role.ADMIN), replace(mine, phone="020 7000 1111"))
    theirs = service.get_profile(actor)
    with pytest.raises(ConflictError, match="treasurer changed the organisation profile"):
        service.update_profile(actor, replace(mine, phone="020 7000 2222"))
    assert service.get_profile(actor) == theirs


def test_only_admins_change_settings(db: Database, actor: Actor) -> None:
    service = OrganisationService(db)
    profile = service.get_profile(actor)
    with pytest.raises(PermissionDeniedError):
        service.update_profile(Actor("clerk", Role.CLERK), replace(profile, phone="020 1"))
    assert service.get_profile(actor) == profile


def test_staff_list(db: Database, actor: Actor) -> None:
    service = StaffService(db)
    b = service.create_staff(
        actor, StaffInput("Bola Adeyemi", "Executive Director", "bola@x.org.uk")
    )
    service.create_staff(actor, StaffInput("Anna Smith", "Partnership Officer"))
    assert [s.full_name for s in service.list_staff(actor)] == ["Anna Smith", "Bola Adeyemi"]
    left = service.update_staff(actor, b.id, b.version, StaffInput("Bola Adeyemi", active=False))
    assert not left.active
    assert [s.full_name for s in service.list_staff(actor, active_only=True)] == ["Anna Smith"]
    everyone = service.list_staff(actor)
    with pytest.raises(ValidationError) as caught:
        service.create_staff(actor, StaffInput("", email="nope"))
    assert set(caught.value.field_errors) == {"full_name", "email"}
    with pytest.raises(ConflictError):
        service.update_staff(actor, b.id, b.version, StaffInput("Bola A"))
    assert service.list_staff(actor) == everyone  # nobody added, Bola unchanged


def test_conflicts_name_who_changed_the_record_and_when(db: Database, actor: Actor) -> None:
    profiles = OrganisationService(db)
    mine = profiles.get_profile(actor)
    profiles.update_profile(Actor("treasurer", Role.ADMIN), replace(mine, phone="020 7000 1111"))
    with pytest.raises(ConflictError) as caught:
        profiles.update_profile(actor, replace(mine, phone="020 7000 2222"))
    assert caught.value.changed_by == "treasurer"
    when = caught.value.changed_at.astimezone()
    assert f"at {when:%H:%M} on {when:%d/%m/%Y}" in caught.value.message

    staff = StaffService(db)
    anna = staff.create_staff(actor, StaffInput("Anna Smith", "Partnership Officer"))
    staff.update_staff(Actor("sam", Role.ADMIN), anna.id, anna.version, StaffInput("Anna Smyth"))
    with pytest.raises(ConflictError) as caught:
        staff.update_staff(
            actor, anna.id, anna.version, StaffInput("Anna Smith", phone="020 7000 3333")
        )
    assert caught.value.changed_by == "sam"
    assert "sam changed Anna Smyth's record at" in caught.value.message
    assert staff.get_staff(actor, anna.id).full_name == "Anna Smyth"


def test_get_staff_of_someone_not_on_the_list(db: Database, actor: Actor) -> None:
    with pytest.raises(NotFoundError):
        StaffService(db).get_staff(actor, 999)


def test_the_default_signatory_and_company_secretary_are_kept(db: Database, actor: Actor) -> None:
    service = OrganisationService(db)
    signature = png_bytes()
    saved = service.update_profile(
        actor,
        replace(
            service.get_profile(actor),
            signatory_name="  Helen Marsh ",
            signatory_position="Executive Director",
            signature_image=signature,
            signature_image_filename="helen.png",
            company_secretary="Rafiq Chowdhury",
        ),
    )
    assert (saved.signatory_name, saved.signatory_position) == ("Helen Marsh", "Executive Director")
    assert saved.signature_image == signature and saved.signature_image_filename == "helen.png"
    assert saved.company_secretary == "Rafiq Chowdhury"
    assert service.get_profile(actor) == saved


def test_a_signatory_that_cannot_sign_is_refused_and_nothing_saved(
    db: Database, actor: Actor
) -> None:
    service = OrganisationService(db)
    before = service.get_profile(actor)
    with pytest.raises(ValidationError) as caught:
        service.update_profile(
            actor,
            replace(before, signatory_position="Treasurer", signature_image=b"not a picture"),
        )
    errors = caught.value.field_errors
    assert "Type the name of the person who signs" in errors["signatory_name"]
    assert "signature file is not an image" in errors["signature_image"]
    assert service.get_profile(actor) == before
