"""``thep-admin letters render --to members|full-members``: the membership letters, for real.

On the demo borough with membership records (tests/members_on_demo.py): the welcome,
the acknowledgement of notice, the annual fee letter and the payment reminder each produce
letters whose text carries the member's own values, to schools and to an organisation and
a person at their own addresses, each kept in the member's correspondence.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from members_on_demo import Records, add_members
from sqlalchemy import update

from thep_desktop.cli.admin import main
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import VatCode
from thep_desktop.models import Invoice
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor

DAY = date(2026, 11, 30)
OUTSIDE = VatCode.OUTSIDE_SCOPE


@pytest.fixture
def members_db(demo_copy: str) -> tuple[str, Records]:
    services, _note = open_services(demo_copy, Actor("office"))
    try:
        records = add_members(services, today=DAY)
    finally:
        services.close()
    return demo_copy, records


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def render(
    capsys: pytest.CaptureFixture[str], address: str, template: str, to: str, out: Path
) -> dict:  # type: ignore[type-arg]
    code, text, err = run(
        capsys, "--db", address, "letters", "render", template, "--to", to,
        "--date", "30/11/2026", "--out", str(out), "--json",
    )  # fmt: skip
    assert code == 0, err
    return json.loads(text)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return " ".join(done.stdout.split())


def bill_fees(services: Services, year: str, on: date) -> None:
    """An issued fee invoice for every member with a fee for ``year``, as the fee run makes
    them (a draft per member marked with the year, then all issued)."""
    actor = services.actor
    drafts = [
        services.invoices.create_draft(
            actor,
            DraftInput(
                member_id=fee.member_id,
                invoice_date=on,
                lines=(LineInput(f"Membership fee {year}", "1", fee.amount, OUTSIDE),),
            ),
        ).id
        for fee in services.fees.quote_year(actor, year).quotes
        if fee.amount
    ]
    with services.db.engine.begin() as connection:
        connection.execute(
            update(Invoice)
            .where(Invoice.id.in_(drafts))
            .values(fee_year=AcademicYear.parse(year).start_year)
        )
    services.invoices.issue(actor, drafts)


def opened(address: str) -> Services:
    services, _note = open_services(address, Actor("office"))
    return services


def test_the_welcome_letter_goes_to_every_member_with_its_own_values(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records], tmp_path: Path
) -> None:
    address, records = members_db
    result = render(capsys, address, "welcome", "members", tmp_path)
    assert result["letters"] == 10 and result["skipped"] == []
    services = opened(address)
    try:
        actor = services.actor
        school = services.members.get_member(actor, records.full[0])
        quote = services.fees.quote(actor, school.id, "2026/27")
        by_name = {Path(p).name.split(" - ")[0]: Path(p) for p in result["recipient_files"]}
        text = pdf_text(by_name[school.name])
        assert (
            f"{school.name} was admitted as a member of Tower Hamlets Education Partnership on "
            "01/04/2017 (full member)" in text
        )
        assert f"Your membership fee for 2026/27 is £{quote.amount:,.2f}" in text
        assert f"{quote.pupils} pupils x £5.00" in text
        assert "contribute up to £25.00" in text
        # The organisation: to its contact, at its own address; a flat associate fee.
        text = pdf_text(by_name["Stepney Music Trust"])
        assert "Mr Daniel Osei Stepney Music Trust Unit 4, Whitehorse Yard" in text
        assert "Dear Mr Osei," in text
        assert "on 11/01/2021 (associate member)" in text
        assert "Your membership fee for 2026/27 is £250.00" in text
        # The individual: to herself, at her own address.
        text = pdf_text(by_name["Dr Amara Nwosu"])
        assert "Dr Amara Nwosu Flat 2, 31 Mile End Road London E1 4TP" in text
        assert "Dear Dr Nwosu," in text
        # Kept on the member: the organisation's history has its letter, no school named.
        history = services.letters.member_correspondence(actor, records.organisation)
        assert [(h.template_name, h.school_id) for h in history] == [
            ("Welcome to membership", None)
        ]
        assert history[0].member_id == records.organisation
        pdf = services.letters.correspondence_pdf(actor, history[0].id)
        assert pdf == by_name["Stepney Music Trust"].read_bytes()
        # A member school's letter shows in the school's history and in the member's.
        assert school.school_id is not None
        sent = services.letters.correspondence(actor, school.school_id)
        assert [h.template_name for h in sent] == ["Welcome to membership"]
        assert [h.member_id for h in services.letters.member_correspondence(actor, school.id)] == [
            school.id
        ]
    finally:
        services.close()


def test_the_notice_acknowledgement_goes_only_to_the_member_under_notice(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records], tmp_path: Path
) -> None:
    address, records = members_db
    target = tmp_path / "notice.pdf"
    result = render(capsys, address, "notice_ack", "full-members", target)
    assert result["letters"] == 1
    # The others are left out, each saying why.
    assert len(result["skipped"]) == 7
    assert all("no notice to leave is recorded" in s["reason"] for s in result["skipped"])
    services = opened(address)
    try:
        member = services.members.get_member(services.actor, records.under_notice)
    finally:
        services.close()
    period = member.periods[-1]
    assert period.notice_received_on is not None and period.ends_on is not None
    text = pdf_text(target)
    assert f"notice that {member.name} wishes to withdraw" in text
    assert f"We received it on {period.notice_received_on:%d/%m/%Y}" in text
    assert (
        "(one year's notice from the day it was received), the membership ends on "
        f"{period.ends_on:%d/%m/%Y}" in text
    )


def test_the_fee_letter_and_the_reminder_carry_the_fee_and_what_is_overdue(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records], tmp_path: Path
) -> None:
    address, records = members_db
    services = opened(address)
    try:
        actor = services.actor
        school = services.members.get_member(actor, records.full[3])
        quote = services.fees.quote(actor, school.id, "2026/27")
        assert quote.amount is not None and quote.census_date is not None
        # Every member billed for the year on 01/09/2026, due 01/10/2026 (as a fee run bills).
        bill_fees(services, "2026/27", date(2026, 9, 1))
        # The organisation has paid £100 of its £250.
        services.payments.record_fee_payment(actor, records.organisation, "2026/27", "100", DAY)
        # The individual has paid in full: no reminder for her.
        services.payments.record_fee_payment(actor, records.individual, "2026/27", "250", DAY)
    finally:
        services.close()
    folder = tmp_path / "fees"
    folder.mkdir()
    result = render(capsys, address, "fee_letter", "members", folder)
    assert result["letters"] == 10
    by_name = {Path(p).name.split(" - ")[0]: Path(p) for p in result["recipient_files"]}
    text = pdf_text(by_name[school.name])
    assert "Membership fee 2026/27" in text
    assert (
        f"The fee is £{quote.amount:,.2f}, worked out as {quote.working}; pupils on roll at "
        f"the census of {quote.census_date:%d/%m/%Y}. Fees are payable" in text
    )
    assert f"quoting {school.urn} as the reference" in text
    text = pdf_text(by_name["Stepney Music Trust"])
    assert f"quoting M{records.organisation:04d} as the reference" in text

    reminders = tmp_path / "reminders"
    reminders.mkdir()
    result = render(capsys, address, "payment_reminder", "members", reminders)
    assert result["letters"] == 9
    assert result["skipped"] == [
        {
            "school": "Dr Amara Nwosu",
            "reason": "the letter needs the amount overdue, and nothing of its fee for 2026/27 "
            "is overdue on 30/11/2026",
        }
    ]
    by_name = {Path(p).name.split(" - ")[0]: Path(p) for p in result["recipient_files"]}
    text = pdf_text(by_name["Stepney Music Trust"])
    assert "Our records show that £150.00 of the membership fee of Stepney Music Trust" in text
    text = pdf_text(by_name[school.name])
    assert f"£{quote.amount:,.2f} of the membership fee of {school.name} for 2026/27" in text


def test_a_school_that_is_not_a_member_is_left_out_saying_so(
    capsys: pytest.CaptureFixture[str], members_db: tuple[str, Records], tmp_path: Path
) -> None:
    address, records = members_db
    services = opened(address)
    try:
        urn = services.schools.get_school(services.actor, records.not_member_school).urn
    finally:
        services.close()
    code, _out, err = run(
        capsys, "--db", address, "letters", "render", "welcome", "--to", f"urn:{urn}",
        "--date", "30/11/2026", "--out", str(tmp_path / "w.pdf"),
    )  # fmt: skip
    assert code == 1
    assert "the letter needs a membership record, and the school is not a member" in err
    assert not (tmp_path / "w.pdf").exists()
