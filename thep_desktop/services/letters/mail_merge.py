"""The mail merge: letters filled from a template for each recipient, laid out, saved, recorded.

A mail merge takes a template, the schools and the role of the contact to write to, fills
the fields for each school, and lays the letters out with the letter engine, into one PDF
for printing and/or one PDF per school for emailing. Every letter produced is recorded
against its school with the PDF itself, so the history shows the letter exactly as it was
sent.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, record
from thep_desktop.domain.dates import format_long_date
from thep_desktop.domain.files import file_message, folder_message
from thep_desktop.domain.merge import fields_in, merge
from thep_desktop.domain.numbers import shown_sort_code
from thep_desktop.domain.progress import Progress
from thep_desktop.domain.text_characters import check_characters
from thep_desktop.models import Correspondence, Document, LetterBatch, Member, School
from thep_desktop.reports.letters.envelope_address import address_block_lines
from thep_desktop.reports.letters.letter_data import LetterError
from thep_desktop.reports.letters.letter_pdf import Letter, Letterhead, render_letters
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME, example_values
from thep_desktop.services.letters.letter_files import file_names
from thep_desktop.services.letters.letter_recipients import LetterRecipients, Recipient, Skipped
from thep_desktop.services.letters.letter_templates import (
    LetterTemplates,
    TemplateDetail,
    TemplateInput,
    _check_template,
    fields_from,
    fields_used,
)
from thep_desktop.services.letters.letters_permissions import SEND_LETTERS
from thep_desktop.services.letters.merge_batches import (
    FolderRefusedError,
    MergeBatch,
    finish_unfinished_merges,
)
from thep_desktop.services.letters.sign_off import sign_off_for
from thep_desktop.services.settings.organisation_service import OrganisationService, ProfileData
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ReadOnlyDatabaseError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save


@dataclass(frozen=True)
class MergeResult:
    letters: int
    pages: int
    combined_file: Path | None
    recipient_files: tuple[Path, ...]
    warnings: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    # What was put right first: an earlier merge on this computer that stopped part-way.
    earlier: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.letters:,} letter{'s' if self.letters != 1 else ''}, "
            f"{self.pages:,} page{'s' if self.pages != 1 else ''}"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} school{'s' if len(self.skipped) != 1 else ''} left out"
        return text


class MailMerge(LetterTemplates, LetterRecipients):
    """Previewing and producing letters (part of the letters service)."""

    _organisation: OrganisationService

    def letterhead(self, actor: Actor) -> Letterhead:
        return letterhead_from(self._organisation.get_profile(actor))

    def preview(
        self,
        actor: Actor,
        data: TemplateInput,
        *,
        school_id: int | None = None,
        mailing: dict[str, str] | None = None,
        letter_date: date | None = None,
        member_id: int | None = None,
    ) -> bytes:
        """One letter from a template as it is being edited (not saved), as PDF bytes.

        With a school (or a member), its real values, the example value of any field its
        record lacks; without, the example value of every field.
        Raises :class:`ValidationError` naming an unknown field before anything is drawn.
        """
        actor.require(VIEW)
        _check_template(data)
        profile = self._organisation.get_profile(actor)
        data = signed_by(data, profile)
        values = example_values()
        recipient_address: tuple[str, ...] = (
            "Ms Rahima Begum",
            "Head Teacher",
            "Bow Common Primary School",
            "Ben Jonson Road",
            "London",
            "E1 4SD",
        )
        when = letter_date or date.today()
        if school_id is not None or member_id is not None:
            recipients, skipped = self.recipients(
                actor,
                [school_id] if school_id is not None else [],
                data.contact_role,
                member_ids=[member_id] if member_id is not None else [],
                on=when,
                fields=fields_used(data),
            )
            if skipped:
                raise ServiceError(skipped[0].reason)
            values.update(recipients[0].values)
            recipient_address = recipients[0].address
            reference = recipients[0].reference
        else:
            reference = values.get("school.urn", "")
        values.update(_organisation_values(profile))
        values.update(_letter_values(when, data, reference))
        values.update({k: v for k, v in _checked_mailing(mailing).items() if v})
        letter = _letter(data, values, recipient_address, when)
        buffer = io.BytesIO()
        render_letters(buffer, letterhead_from(profile), [letter], title=letter.subject)
        return buffer.getvalue()

    def signatory_problem(self, actor: Actor, data: TemplateInput | TemplateDetail) -> str:
        """Why letters from ``data`` would be signed by nobody, in words; "" when signed."""
        actor.require(VIEW)
        template = data.as_input() if isinstance(data, TemplateDetail) else data
        return signatory_problem(template, self._organisation.get_profile(actor))

    def template_to_send(self, actor: Actor, key: str, missing: str) -> TemplateDetail:
        """The built-in template ``key``, checked and signed for, for an area that sends it
        itself (the invoice reminders, the peer reviews' confirmations); ``missing`` is what
        to say when it is not in this database yet."""
        try:
            template = self.find_template(actor, key)
        except NotFoundError:
            raise ServiceError(missing) from None
        _check_template(template.as_input())
        problem = self.signatory_problem(actor, template)
        if problem:
            raise ServiceError(problem)
        return template

    def mailing_fields(self, data: TemplateInput | TemplateDetail) -> list[str]:
        """The fields of a template that are typed once for the whole mailing."""
        return fields_from(data, "mailing")

    def produce(
        self,
        actor: Actor,
        template_id: int,
        school_ids: Sequence[int],
        contact_role: str,
        *,
        member_ids: Sequence[int] = (),
        combined_file: str | Path | None = None,
        recipient_folder: str | Path | None = None,
        mailing: dict[str, str] | None = None,
        letter_date: date | None = None,
        progress: Progress | None = None,
        now: Callable[[], date] = date.today,
    ) -> MergeResult:
        """Merge and lay out the letters, write the files asked for, record the history.

        To ``school_ids`` or, with ``school_ids`` empty, to ``member_ids`` (organisations and
        individuals at their own addresses; member schools at the school's).

        Files appear whole or not at all: written in a hidden folder beside their place,
        recorded as pending, moved into place, then confirmed (see
        :mod:`~thep_desktop.services.letters.merge_batches`); Cancel or any error leaves
        neither files nor records, and so does a kill once the next merge has run.
        """
        actor.require(SEND_LETTERS)
        if self.db.read_only:  # say so before laying out letters whose history cannot be kept
            raise ReadOnlyDatabaseError(self.db.read_only_message())
        if combined_file is None and recipient_folder is None:
            raise ServiceError("Choose where to save the letters: one PDF, a folder, or both.")
        template = self.get_template(actor, template_id)
        data = template.as_input()
        _check_template(data)
        refusal = sent_elsewhere(template)
        if refusal:
            raise ServiceError(refusal)
        profile = self._organisation.get_profile(actor)
        problem = signatory_problem(data, profile)
        if problem:
            raise ServiceError(problem)
        data = signed_by(data, profile)
        mailing = _checked_mailing(mailing)
        missing_mailing = [
            FIELDS_BY_NAME[name].label
            for name in self.mailing_fields(template)
            if not (mailing or {}).get(name, "").strip()
        ]
        if missing_mailing:
            raise ValidationError(
                {"mailing": "Fill in " + ", ".join(missing_mailing) + " for this mailing."}
            )
        contact_role = self.check_contact_role(actor, contact_role)
        when = letter_date or now()
        recipients, skipped = self.recipients(
            actor,
            school_ids,
            contact_role,
            member_ids=member_ids,
            on=when,
            fields=template.fields_used,
        )
        head = letterhead_from(profile)
        common = _organisation_values(profile)
        common.update(mailing)
        used = template.fields_used
        letters: list[tuple[Recipient, Letter]] = []
        for recipient in recipients:
            values = common | _letter_values(when, data, recipient.reference)
            filled = fill_letter(data, used, recipient, values, when)
            if isinstance(filled, Skipped):
                skipped.append(filled)
            else:
                letters.append((recipient, filled))
        if not letters:
            reasons = "\n".join(f"• {s.school_name}: {s.reason}" for s in skipped[:10])
            raise ServiceError("No letters could be produced.\n" + reasons)
        total = len(letters)

        def report(n: int) -> None:
            if progress is not None:
                progress.report(n - 1, total, f"Letter {n:,} of {total:,}")

        # Each folder the letters go to, with the field the window shows its problems by.
        outputs: dict[Path, list[str]] = {}
        if combined_file is not None:
            outputs.setdefault(Path(combined_file).parent, []).append("combined_file")
        if recipient_folder is not None:
            outputs.setdefault(Path(recipient_folder), []).append("recipient_folder")
        for output, names in outputs.items():
            if not output.is_dir():
                message = folder_message(output)
                raise ValidationError(dict.fromkeys(names, message), message)
        # Before this merge takes its own lock: what an earlier one left is put right first.
        earlier = finish_unfinished_merges(self.db, actor)
        try:
            batch = MergeBatch.begin(self.db, actor, outputs)
        except FolderRefusedError as exc:
            names = outputs.get(exc.folder, [])
            raise ValidationError(dict.fromkeys(names, exc.message), exc.message) from exc
        try:
            combined_doc: tuple[bytes, tuple[int, ...]] | None = None
            if combined_file is not None:
                final = Path(combined_file)
                temp = batch.stage(final)
                with _writing(temp) as out:
                    result = render_letters(
                        out,
                        head,
                        (lt for _r, lt in letters),
                        title=template.name,
                        on_letter=report,
                    )
                pdf = temp.read_bytes()
                batch.staged_file(temp, final, pdf)
                combined_doc = (pdf, result.pages_per_letter)
            per_recipient: list[tuple[bytes, int, Path]] = []
            if recipient_folder is not None:
                folder = Path(recipient_folder)
                names = file_names(
                    [r.school_name for r, _l in letters], when, template.name, folder
                )
                for number, ((_recipient, letter), name) in enumerate(
                    zip(letters, names, strict=True), start=1
                ):
                    report(number)
                    buffer = io.BytesIO()
                    one = render_letters(buffer, head, [letter], title=letter.subject)
                    final = folder / name
                    temp = batch.stage(final)
                    with _writing(temp) as out:
                        out.write(buffer.getvalue())
                    batch.staged_file(temp, final, buffer.getvalue())
                    per_recipient.append((buffer.getvalue(), one.pages, final))
            if progress is not None:
                progress.report(total, total, "Recording the letters sent…")
            pages = self._record(
                actor, template, letters, combined_doc, per_recipient, combined_file, batch
            )
            batch.place()
            batch.confirm()
        except BaseException:
            batch.abandon()
            raise
        finally:
            batch.close()
        warnings = tuple(f"{r.school_name}: {r.warning}" for r, _l in letters if r.warning)
        return MergeResult(
            letters=len(letters),
            pages=pages,
            combined_file=Path(combined_file) if combined_file is not None else None,
            recipient_files=tuple(p for _b, _n, p in per_recipient),
            warnings=warnings,
            skipped=tuple(skipped),
            earlier=tuple(earlier),
        )

    @save
    def _record(
        self,
        actor: Actor,
        template: TemplateDetail,
        letters: list[tuple[Recipient, Letter]],
        combined: tuple[bytes, tuple[int, ...]] | None,
        per_recipient: list[tuple[bytes, int, Path]],
        combined_file: str | Path | None,
        batch: MergeBatch,
    ) -> int:
        """The history, pending with its batch, and the batch's list of files: together."""
        with self.db.session() as session:
            _check_schools_still_there(session, [r for r, _l in letters])
            pages = self._add_history(
                session, actor, template, letters, combined, per_recipient, combined_file, batch.id
            )
            row = session.get(LetterBatch, batch.id)
            assert row is not None
            row.files = batch.files_json()
            record(
                session,
                Change(
                    Action.LETTERS,
                    "letter_batch",
                    row.uuid,
                    template.name,
                    detail=f"Letter run “{template.name}”: {len(letters)} letter(s), "
                    f"{pages} page(s).",
                ),
            )
            return pages

    @staticmethod
    def _add_history(
        session: Session,
        actor: Actor,
        template: TemplateDetail,
        letters: list[tuple[Recipient, Letter]],
        combined: tuple[bytes, tuple[int, ...]] | None,
        per_recipient: list[tuple[bytes, int, Path]],
        combined_file: str | Path | None,
        batch_id: int,
    ) -> int:
        if per_recipient:
            # Each school's own PDF is what it was sent (and what emailing uses).
            pages = 0
            for (recipient, letter), (data, count, path) in zip(
                letters, per_recipient, strict=True
            ):
                document = _document(actor, letter.subject, path.name, data, count)
                session.add(document)
                session.flush()
                session.add(
                    _correspondence(
                        actor, template, recipient, letter, document, 1, count, batch_id
                    )
                )
                pages += count
            if combined is not None:
                pages = sum(combined[1])
            return pages
        assert combined is not None
        data, counts = combined
        name = Path(combined_file).name if combined_file is not None else ""
        document = _document(actor, template.name, name, data, sum(counts))
        session.add(document)
        session.flush()
        first = 1
        for (recipient, letter), count in zip(letters, counts, strict=True):
            session.add(
                _correspondence(
                    actor, template, recipient, letter, document, first, count, batch_id
                )
            )
            first += count
        return sum(counts)


def _check_schools_still_there(session: Session, recipients: list[Recipient]) -> None:
    """Refuse to record letters to a school or member someone removed while they were made.

    Checked in the history's own transaction, which holds the write lock: a school cannot
    go between this check and the commit.
    """
    schools = {r.school_id for r in recipients if r.school_id is not None}
    members = {r.member_id for r in recipients if r.member_id is not None}
    there = set(session.scalars(select(School.id).where(School.id.in_(schools))))
    members_there = set(session.scalars(select(Member.id).where(Member.id.in_(members))))
    gone_schools = [
        r.school_name for r in recipients if r.school_id is not None and r.school_id not in there
    ]
    gone_members = [
        r.school_name
        for r in recipients
        if r.member_id is not None and r.member_id not in members_there
    ]
    gone = list(dict.fromkeys(gone_schools + gone_members))
    if gone:
        names = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        where = "the register" if gone_schools else "the membership records"
        raise NotFoundError(
            f"Someone removed {names} from {where} while the letters were being made. "
            "No letters were saved or recorded; run the mail merge again."
        )


@contextmanager
def _writing(path: Path) -> Iterator[BinaryIO]:
    """``path`` open for writing; a disk that is full or gone is said in words."""
    try:
        with open(path, "wb") as out:
            yield out
    except OSError as exc:
        raise ServiceError(file_message(path, exc)) from exc


def _checked_mailing(mailing: dict[str, str] | None) -> dict[str, str]:
    """The values typed once for a mailing, trimmed; a control character is refused in words
    (the subject goes into the history, and a NUL would reach the database as a raw error)."""
    checked: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in (mailing or {}).items():
        info = FIELDS_BY_NAME.get(name)
        try:
            checked[name] = check_characters(value.strip(), info.label if info else name)
        except ValueError as exc:
            errors[f"mailing.{name}"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def letterhead_from(profile: ProfileData) -> Letterhead:
    lines = [line.strip() for line in profile.address.splitlines() if line.strip()]
    if profile.postcode:
        if lines and profile.postcode not in lines[-1]:
            lines[-1] = f"{lines[-1]} {profile.postcode}"
        elif not lines:
            lines = [profile.postcode]
    return Letterhead(
        name=profile.name,
        address_lines=tuple(lines),
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        company_number=profile.company_number,
        charity_number=profile.charity_number,
        vat_number=profile.vat_number,
        registered_office=profile.registered_office,
        logo=profile.logo,
    )


def academic_year_of(day: date) -> str:
    """``2026/27`` for any day from 1 September 2026 to 31 August 2027."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _organisation_values(profile: ProfileData) -> dict[str, str]:
    head = letterhead_from(profile)
    sort_code = shown_sort_code(profile.bank_sort_code)
    return {
        "org.name": profile.name,
        "org.address": ", ".join(head.address_lines),
        "org.phone": profile.phone,
        "org.email": profile.email,
        "org.website": profile.website,
        "org.company_secretary": profile.company_secretary,
        "org.bank_name": profile.bank_name,
        "org.bank_account_name": profile.bank_account_name,
        "org.bank_sort_code": sort_code,
        "org.bank_account_number": profile.bank_account_number,
    }


def _letter_values(when: date, data: TemplateInput, urn: str) -> dict[str, str]:
    start = when.year if when.month >= 9 else when.year - 1
    return {
        "today": format_long_date(when),
        "academic_year": academic_year_of(when),
        "next_academic_year": f"{start + 1}/{(start + 2) % 100:02d}",
        "our_ref": _our_ref(data.name, urn),
        "sender.name": data.signatory,
        "sender.role": data.signatory_role,
    }


def _our_ref(template_name: str, urn: str) -> str:
    """``NGM/100897`` for "Notice of general meeting" to URN 100897."""
    words = [w for w in re.findall(r"[A-Za-z]+", template_name) if w.lower() not in _SMALL]
    initials = "".join(w[0] for w in words).upper()[:4]
    return "/".join(p for p in (initials or "LTR", urn) if p)


_SMALL = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})


def fill_letter(
    data: TemplateInput,
    used: Collection[str],
    recipient: Recipient,
    values: Mapping[str, str],
    when: date,
) -> Letter | Skipped:
    """The letter to ``recipient``: its own values and ``values`` (the organisation's, the
    letter's, the mailing's…) merged into ``data`` (already :func:`signed_by`), whose parts
    use the fields ``used``; or why it cannot go, as :class:`Skipped`: a field it needs with
    no value, or an address too long for the envelope (which must not stop the rest)."""
    merged = {**recipient.values, **values}
    lacking = [n for n in used if n not in merged]
    if lacking:
        return Skipped(recipient.school_name, lacking_reason(recipient, lacking))
    try:
        address_block_lines(recipient.address)
    except LetterError as exc:
        return Skipped(recipient.school_name, str(exc))
    return _letter(data, merged, recipient.address, when)


def _letter(
    data: TemplateInput, values: dict[str, str], address: tuple[str, ...], when: date
) -> Letter:
    """One letter, every field merged; ``data`` is already :func:`signed_by` its signatory."""
    values = dict(values)

    def filled(text: str) -> str:
        return merge(text, values).strip()

    # The signatory may be a field itself ({org.company_secretary}); the body's
    # {sender.name} is the name as printed under the signature.
    values["sender.name"] = filled(data.signatory)
    values["sender.role"] = filled(data.signatory_role)
    salutation = filled(data.salutation)
    return Letter(
        recipient=address,
        date=when,
        salutation=salutation,
        body=merge(data.body, values),
        subject=filled(data.subject),
        our_ref=values.get("our_ref", ""),
        sign_off=sign_off_for(salutation, data.sign_off),
        signatory=values["sender.name"],
        signatory_role=values["sender.role"],
        signature_image=data.signature_image,
        recipient_label=values.get("school.name", ""),
    )


def signed_by(data: TemplateInput, profile: ProfileData) -> TemplateInput:
    """The template with its signatory: its own, or (named nobody) the profile's default."""
    if data.signatory.strip():
        return data
    return replace(
        data,
        signatory=profile.signatory_name,
        signatory_role=profile.signatory_position,
        signature_image=profile.signature_image,
        signature_image_filename=profile.signature_image_filename,
    )


def signatory_problem(data: TemplateInput, profile: ProfileData) -> str:
    """Why letters from ``data`` would go out signed by nobody, in words; "" when signed."""
    signed = signed_by(data, profile)
    if not signed.signatory.strip():
        return (
            "Nobody signs this letter: type who signs it in the template (Letters > Letter "
            "templates), or set the default signatory in Settings > Organisation profile."
        )
    used = fields_in(signed.signatory)
    from_profile = all(
        n in FIELDS_BY_NAME and FIELDS_BY_NAME[n].source == "organisation" for n in used
    )
    if (
        used
        and from_profile
        and not merge(signed.signatory, _blank(used) | _organisation_values(profile)).strip()
    ):
        labels = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in used if n in FIELDS_BY_NAME)
        return (
            f"This letter is signed by the {labels}, and no name is recorded: type it in "
            "Settings > Organisation profile."
        )
    return ""


def sent_elsewhere(data: TemplateInput | TemplateDetail) -> str:
    """Why ``data`` cannot go out by mail merge, in words; "" when it can.

    A letter with ``{invoice.*}`` fields is about one overdue invoice: only the invoice
    reminders know which invoice each letter is about (and record the reminder). One with
    ``{review.*}`` fields is about one peer review: only the Peer reviews tab's confirmation
    letters know which review, and which school of it, each letter is for.
    """
    for source, what, where in (
        (
            "invoice",
            "one overdue invoice",
            "Invoices > Reminders, which fills in each invoice's figures and records the reminder",
        ),
        (
            "review",
            "one peer review",
            "the Peer reviews tab (Print confirmation letters), "
            "which fills in each review's host, dates and team",
        ),
    ):
        used = fields_from(data, source)
        if used:
            labels = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in used[:3])
            return (
                f"“{data.name}” is about {what} (it uses the {labels}): it is sent from "
                f"{where}, not by mail merge."
            )
    return ""


def _blank(names: list[str]) -> dict[str, str]:
    return {n: "" for n in names}


def lacking_reason(recipient: Recipient, lacking: list[str]) -> str:
    """Why a letter needing the fields ``lacking`` cannot go to ``recipient``, in words."""
    membership = [n for n in lacking if FIELDS_BY_NAME[n].source == "membership"]
    if membership:
        reasons = [recipient.missing.get(n, "no membership record is held") for n in membership]
        if "member.name" in recipient.missing:  # no membership at all on the letter's date
            return f"the letter needs a membership record, and {reasons[0]}"
        shown = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in membership)
        return f"the letter needs the {shown}, and " + "; ".join(dict.fromkeys(reasons))
    shown = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in lacking)
    what = "school" if recipient.school_id is not None else "member"
    return f"the letter needs the {shown}, and it is not recorded for this {what}"


def _document(actor: Actor, title: str, filename: str, data: bytes, pages: int) -> Document:
    return Document(
        title=title[:300],
        filename=filename[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
        size=len(data),
        pdf=data,
        created_by=actor.name,
        updated_by=actor.name,
    )


def _correspondence(
    actor: Actor,
    template: TemplateDetail,
    recipient: Recipient,
    letter: Letter,
    document: Document,
    first_page: int,
    pages: int,
    batch_id: int | None,
) -> Correspondence:
    return Correspondence(
        batch_id=batch_id,
        school_id=recipient.school_id,
        member_id=recipient.member_id,
        document_id=document.id,
        first_page=first_page,
        pages=pages,
        template_name=template.name[:200],
        subject=letter.subject[:500],
        recipient_name=(recipient.contact_name or letter.recipient[0])[:200],
        recipient_role=recipient.contact_role[:100],
        our_ref=letter.our_ref[:100],
        note=recipient.warning[:500],
        created_by=actor.name,
        updated_by=actor.name,
    )
