"""Peer reviews' confirmation letters: to the host school and each reviewing school, one PDF.

The letters come from the built-in templates ``review_confirmation_host`` and
``review_confirmation_reviewer`` (the office edits their wording in Letters > Templates),
filled with the ``{review.*}`` fields of each review and laid out by the letters' engine as a
mail merge lays them out. The PDF is written whole beside its place and the letters recorded
in each school's correspondence in one transaction, then the file takes its place; a review
without a date, reviewing schools or a lead reviewer stops the whole run before anything is
written.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from thep_desktop.audit_trail import Action, Change, record
from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date, format_days_in_words
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Correspondence, Document
from thep_desktop.reports.letters.letter_pdf import Letter, render_letters
from thep_desktop.services.letters.letter_files import pdf_path_problem, place_recorded
from thep_desktop.services.letters.letter_recipients import Recipient, Skipped
from thep_desktop.services.letters.letter_templates import TemplateDetail
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.letters.mail_merge import (
    _correspondence,
    _document,
    _letter_values,
    _organisation_values,
    fill_letter,
    letterhead_from,
    signed_by,
)
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import ReviewDetail, ReviewerDetail
from thep_desktop.services.peer_reviews.reviews_service import ReviewsService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ReadOnlyDatabaseError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.retry import save

HOST_TEMPLATE = "review_confirmation_host"
REVIEWER_TEMPLATE = "review_confirmation_reviewer"
# Who the letters go to: the host school, the reviewing schools, or both.
WHO = {
    "both": "the host and reviewing schools",
    "host": "the host schools",
    "reviewers": "the reviewing schools",
}
_NUMBERS = ("no", "one", "two", "three", "four", "five")


@dataclass(frozen=True)
class ConfirmationLetter:
    """One confirmation laid out: the review, who it goes to, the letter, its template."""

    review: ReviewDetail
    recipient: Recipient
    letter: Letter
    template: TemplateDetail
    to_host: bool


@dataclass(frozen=True)
class ConfirmationResult:
    """What a run of confirmation letters did: the letters, the file, those left out."""

    letters: int
    pages: int
    path: Path
    to_hosts: int
    to_reviewers: int
    document_id: int
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = []
        if self.to_hosts:
            parts.append(f"{self.to_hosts} to host school{'s' if self.to_hosts != 1 else ''}")
        if self.to_reviewers:
            parts.append(
                f"{self.to_reviewers} to reviewing school{'s' if self.to_reviewers != 1 else ''}"
            )
        text = (
            f"{self.letters:,} confirmation letter{'s' if self.letters != 1 else ''} "
            f"({', '.join(parts)}), {self.pages:,} page{'s' if self.pages != 1 else ''}"
        )
        if self.skipped:
            text += f"; {len(self.skipped)} left out"
        return text


class ReviewLettersService:
    """Confirmation letters of a cycle's reviews, laid out, saved and recorded."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._letters = LettersService(database)
        self._reviews = ReviewsService(database)
        self._organisation = OrganisationService(database)

    def confirmations(
        self,
        actor: Actor,
        cycle_id: int,
        review_ids: Collection[int],
        who: str = "both",
        out: str | Path | None = None,
        progress: Progress | None = None,
        on: date | None = None,
    ) -> ConfirmationResult:
        """The confirmation letters of the reviews ``review_ids`` of the cycle, to ``who``
        ("both", "host" or "reviewers"), as one PDF at ``out``, each recorded in its school's
        correspondence; all or nothing.

        Refused in words, with nothing written or recorded: a review without a visit date,
        reviewing schools or a lead reviewer; a review not in the cycle; a folder that is not
        there. A school whose letter cannot be addressed (no postal address) is left out, with
        the reason, and the rest go.
        """
        actor.require(MANAGE_REVIEWS)
        if self.db.read_only:
            raise ReadOnlyDatabaseError(self.db.read_only_message())
        if who not in WHO:
            raise ValidationError(
                {"who": "Send the letters to the host schools, the reviewing schools, or both."}
            )
        day = on or date.today()
        if day > date.today():  # a letter dated ahead would be recorded as sent already
            raise ValidationError(
                {"on": f"Letters cannot be dated after today ({format_date(date.today())})."}
            )
        if out is None:
            raise ValidationError({"out": "Choose where to save the letters."})
        final = Path(out)
        problem = pdf_path_problem(final)
        if problem:
            raise ValidationError({"out": problem})
        reviews = self._chosen(actor, cycle_id, review_ids)
        problems = review_problems(reviews)
        if problems:
            raise ValidationError(
                {"reviews": "\n".join(problems)},
                "No letters were written: put these reviews right first (in the review "
                "editor), then print the letters again.\n" + "\n".join(problems),
            )
        profile = self._organisation.get_profile(actor)
        templates = {
            key: self._template(actor, key)
            for key, wanted in (
                (HOST_TEMPLATE, who != "reviewers"),
                (REVIEWER_TEMPLATE, who != "host"),
            )
            if wanted
        }
        cycle = self._reviews.get_cycle(actor, cycle_id)
        letters: list[ConfirmationLetter] = []
        skipped: list[Skipped] = []
        addressed: dict[str, dict[int, Recipient]] = {}
        for key, template in templates.items():
            addressed[key], left_out = self._addressed(actor, template, reviews, key, day)
            skipped.extend(left_out)
        for review in reviews:
            for key, template in templates.items():
                to_host = key == HOST_TEMPLATE
                for school_id in _schools_written_to(review, key):
                    recipient = addressed[key].get(school_id)
                    if recipient is None:  # no postal address: listed as left out above
                        continue
                    data = signed_by(template.as_input(), profile)
                    values = (
                        _organisation_values(profile)
                        | _letter_values(day, data, recipient.reference)
                        | review_values(review, cycle.focus)
                    )
                    filled = fill_letter(data, template.fields_used, recipient, values, day)
                    if isinstance(filled, Skipped):
                        skipped.append(filled)
                    else:
                        letters.append(
                            ConfirmationLetter(review, recipient, filled, template, to_host)
                        )
        if not letters:
            reasons = "\n".join(f"• {s.school_name}: {s.reason}" for s in skipped[:10])
            raise ServiceError("No letters could be produced.\n" + reasons)
        total = len(letters)

        def report(n: int) -> None:
            if progress is not None:
                progress.report(n - 1, total, f"Letter {n:,} of {total:,}")

        buffer = io.BytesIO()
        rendered = render_letters(
            buffer,
            letterhead_from(profile),
            (c.letter for c in letters),
            title=f"Peer review confirmations {format_date(day)}",
            on_letter=report,
        )
        pdf = buffer.getvalue()
        if progress is not None:
            progress.report(total, total, "Recording the letters…")
        document_id = place_recorded(
            final,
            pdf,
            lambda: self._record(actor, day, final.name, pdf, rendered.pages_per_letter, letters),
            lambda made: self._take_back(actor, made),
        )
        warnings = tuple(
            f"{c.recipient.school_name}: {c.recipient.warning}"
            for c in letters
            if c.recipient.warning
        )
        return ConfirmationResult(
            letters=total,
            pages=rendered.pages,
            path=final,
            to_hosts=sum(1 for c in letters if c.to_host),
            to_reviewers=sum(1 for c in letters if not c.to_host),
            document_id=document_id,
            skipped=tuple(skipped),
            warnings=warnings,
        )

    # -- the pieces ----------------------------------------------------------------------------
    def _chosen(
        self, actor: Actor, cycle_id: int, review_ids: Collection[int]
    ) -> list[ReviewDetail]:
        """The reviews asked for, in the cycle's order (by visit date)."""
        wanted = set(review_ids)
        if not wanted:
            raise ValidationError({"reviews": "Choose the reviews to confirm in writing."})
        found = [r for r in self._reviews.list_reviews(actor, cycle_id) if r.id in wanted]
        if len(found) != len(wanted):
            gone = len(wanted) - len(found)
            raise NotFoundError(
                f"{gone} of the reviews chosen {'is' if gone == 1 else 'are'} no longer in this "
                "cycle: someone may have deleted or moved it. No letters were written."
            )
        return found

    def _template(self, actor: Actor, key: str) -> TemplateDetail:
        return self._letters.template_to_send(
            actor,
            key,
            "The confirmation letters are not in this database yet: someone who may change "
            "letter templates (staff or an administrator) needs to open Letters > Templates "
            "once, then the letters can be printed.",
        )

    def _addressed(
        self,
        actor: Actor,
        template: TemplateDetail,
        reviews: Sequence[ReviewDetail],
        key: str,
        day: date,
    ) -> tuple[dict[int, Recipient], list[Skipped]]:
        """Each school the template's letters go to, addressed as a mail merge addresses it
        (the template's contact at the school); those that cannot be, with the reason."""
        ids: list[int] = []
        for review in reviews:
            ids.extend(i for i in _schools_written_to(review, key) if i not in ids)
        recipients, skipped = self._letters.recipients(
            actor, ids, template.contact_role, on=day, fields=template.fields_used
        )
        return {r.school_id: r for r in recipients if r.school_id is not None}, skipped

    @save
    def _record(
        self,
        actor: Actor,
        day: date,
        filename: str,
        pdf: bytes,
        pages: Sequence[int],
        letters: Sequence[ConfirmationLetter],
    ) -> int:
        """The PDF kept and each letter in its school's correspondence: one transaction."""
        with self.db.session() as session:
            return add_confirmation_records(session, actor, day, filename, pdf, pages, letters)

    @save
    def _take_back(self, actor: Actor, document_id: int) -> None:
        """The records of a run whose file could not take its place."""
        with self.db.session() as session:
            session.execute(delete(Correspondence).where(Correspondence.document_id == document_id))
            session.execute(delete(Document).where(Document.id == document_id))


def add_confirmation_records(
    session: Session,
    actor: Actor,
    day: date,
    filename: str,
    pdf: bytes,
    pages: Sequence[int],
    letters: Sequence[ConfirmationLetter],
) -> int:
    """The PDF kept and each letter recorded against its school, in the caller's transaction;
    the document's id."""
    title = f"Peer review confirmations {format_date(day)}"
    document = _document(actor, title, filename, pdf, sum(pages))
    session.add(document)
    session.flush()
    first = 1
    for confirmation, count in zip(letters, pages, strict=True):
        session.add(
            _correspondence(
                actor,
                confirmation.template,
                confirmation.recipient,
                confirmation.letter,
                document,
                first,
                count,
                None,
            )
        )
        first += count
    record(
        session,
        Change(
            Action.LETTERS,
            "document",
            document.uuid,
            title,
            detail=f"Peer review confirmations of {format_date(day)}: "
            + ", ".join(
                f"{c.recipient.school_name} ({'host' if c.to_host else 'reviewing'}, "
                f"review at {c.review.host_name})"
                for c in letters
            ),
        ),
    )
    return document.id


def review_problems(reviews: Sequence[ReviewDetail]) -> list[str]:
    """Why each review cannot be confirmed in a letter ("• Host: it has no visit date")."""
    lines = []
    for review in reviews:
        missing = []
        if review.starts_on is None:
            missing.append("it has no visit date")
        if not review.team:
            missing.append("it has no reviewing schools")
        elif review.lead is None:
            missing.append("no lead reviewer is named")
        if missing:
            lines.append(f"• The review at {review.host_name}: {' and '.join(missing)}.")
    return lines


def review_values(review: ReviewDetail, cycle_focus: str = "") -> dict[str, str]:
    """The ``{review.*}`` fields of a letter about ``review`` (the cycle's focus when the
    review has none of its own)."""
    days = review.days
    focus = review.focus_areas or tuple(
        line.strip() for line in cycle_focus.splitlines() if line.strip()
    )
    if not focus:
        focus = ("to be agreed with the lead reviewer before the visit",)
    lead = review.lead
    named = {r.school_id for r in review.reviewers if r.school_id is not None}
    team_lines = [f"- {_reviewer_words(r)}" for r in review.reviewers]
    team_lines += [
        f"- a reviewer from {s.name}, to be named by the school"
        for s in review.team
        if s.school_id not in named
    ]
    count = len(days)
    return {
        "review.host_name": review.host_name,
        "review.host_head": review.host_head_name,
        "review.host_address": ", ".join(review.host_address),
        "review.visit_dates": format_days_in_words(days),
        "review.visit_length": (
            f"{_NUMBERS[count] if count < len(_NUMBERS) else count} day{'s' if count != 1 else ''}"
        ),
        "review.team": _and([s.name for s in review.team]),
        "review.reviewers": "\n".join(team_lines),
        "review.lead_reviewer": _reviewer_words(lead, mark_lead=False) if lead else "",
        "review.focus": "; ".join(focus),
        "review.focus_list": "\n".join(f"- {area}" for area in focus),
        "review.cluster": review.cluster_name or "none",
        "review.year": review.year.label,
    }


def _schools_written_to(review: ReviewDetail, key: str) -> list[int]:
    """The host school for the host's letter; the reviewing schools, in order, for theirs."""
    if key == HOST_TEMPLATE:
        return [review.host_school_id]
    return [school.school_id for school in review.team]


def _reviewer_words(reviewer: ReviewerDetail, *, mark_lead: bool = True) -> str:
    """``Mr Mark Ellis, Headteacher, Globe Primary School (lead reviewer)``."""
    parts = [reviewer.name, reviewer.job_title, reviewer.school_name]
    text = ", ".join(p for p in parts if p)
    if mark_lead and reviewer.is_lead:
        text += " (lead reviewer)"
    return text


def _and(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


__all__ = [
    "HOST_TEMPLATE",
    "REVIEWER_TEMPLATE",
    "WHO",
    "ConfirmationResult",
    "ReviewLettersService",
    "review_problems",
    "review_values",
]
