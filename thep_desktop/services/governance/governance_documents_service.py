"""The governance documents: a meeting's notice, agenda and minutes, the decision and action
logs, the register of directors, and the workbook of decisions and actions.

Each reads the governance services (plain data), turns what it reads into the reports' plain
papers, and writes the file whole or not at all. A general meeting's notice is a letter to
every member on the letterhead, kept with the PDF in each member's correspondence, as the
letters' engine keeps a mail merge; that writes records, so it needs the clerk's permission
(MANAGE_GOVERNANCE), as the peer reviews' confirmation letters need MANAGE_REVIEWS. Every
other document only reads (VIEW).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from thep_desktop.audit_trail import Action, Change, record
from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    Attendance,
    BodyKind,
    Capacity,
    MeetingKind,
    Voters,
    Votes,
    decision_reference,
)
from thep_desktop.domain.memberships import Category
from thep_desktop.domain.progress import Progress
from thep_desktop.models import (
    AgendaItem,
    Correspondence,
    Decision,
    Document,
    GoverningBody,
    Meeting,
)
from thep_desktop.models.base import utcnow
from thep_desktop.reports.governance.decisions_workbook import write_decisions_and_actions
from thep_desktop.reports.governance.governance_papers import (
    ActionLine,
    ActionLog,
    Agenda,
    AgendaEntry,
    AttendanceLine,
    DecisionLine,
    DecisionLog,
    DirectorLine,
    DirectorsRegisterPaper,
    ErratumLine,
    MeetingHeading,
    Minutes,
    MinutesItem,
    Notice,
    NoticeRecipient,
)
from thep_desktop.reports.governance.governance_pdf import write_pdf
from thep_desktop.reports.governance.meeting_papers_pdf import (
    agenda_pdf_bytes,
    minutes_pdf_bytes,
    notice_pdf_bytes,
)
from thep_desktop.reports.governance.notice_text import notice_letter
from thep_desktop.reports.governance.registers_pdf import (
    action_log_pdf_bytes,
    decision_log_pdf_bytes,
    directors_pdf_bytes,
)
from thep_desktop.reports.letters.letter_data import Letter, Letterhead
from thep_desktop.reports.letters.letter_pdf import render_letters
from thep_desktop.services.governance.governance_actions_service import GovernanceActionsService
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionFilter,
    AttendanceDetail,
    DecisionDetail,
    DirectorEntry,
    MeetingDetail,
    meeting_label,
)
from thep_desktop.services.governance.governance_people_service import GovernancePeopleService
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governing_bodies_service import GoverningBodiesService
from thep_desktop.services.governance.meetings_service import MeetingsService
from thep_desktop.services.letters.letter_files import pdf_path_problem, place_recorded
from thep_desktop.services.letters.letter_recipients import Recipient, Skipped
from thep_desktop.services.letters.letters_service import LettersService
from thep_desktop.services.letters.mail_merge import _document, letterhead_from
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.settings.organisation_service import OrganisationService, ProfileData
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ReadOnlyDatabaseError,
    ServiceError,
    ValidationError,
)
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

NOTICE_TEMPLATE = "Notice of meeting"  # how the notices are named in the correspondence
HEAD_TEACHER = "Head teacher"  # a member school's notice goes to its head


class GovernanceDocumentsService:
    """The governance papers as PDF files (and one workbook), from the governance services."""

    def __init__(self, database: Database) -> None:
        self.db = database
        self._bodies = GoverningBodiesService(database)
        self._people = GovernancePeopleService(database)
        self._organisation = OrganisationService(database)
        self._letters = LettersService(database)
        self._members = MembersService(database)
        self._meetings = MeetingsService(database)
        self._actions = GovernanceActionsService(database)

    # -- a meeting's papers -------------------------------------------------------------------
    def notice(
        self,
        actor: Actor,
        meeting_id: int,
        out: str | Path,
        progress: Progress | None = None,
        on: date | None = None,
    ) -> int:
        """The notice of the meeting as a PDF at ``out``; returns how many notices it holds.

        For a general meeting, a letter to every member on ``on`` (today: the day the notice
        is made), full and associate, each saying the member's voting rights, addressed to a
        member school's head at the school; each is kept in the member's correspondence. For
        another body, one page to its members, naming them. All or nothing.
        """
        actor.require(VIEW)
        final = _pdf_target(out, "the notice")
        day = on or date.today()
        if day > date.today():  # a notice dated ahead would be recorded as sent already
            raise ValidationError(
                {"on": f"A notice cannot be dated after today ({format_date(date.today())})."}
            )
        _report(progress, "Reading the meeting…")
        meeting = self._meetings.get_meeting(actor, meeting_id)
        if meeting.cancelled:
            raise ServiceError(f"{meeting.label} was cancelled, so no notice was printed.")
        profile = self._organisation.get_profile(actor)
        letterhead = letterhead_from(profile)
        if not _is_general(meeting):
            notice = self._body_notice(actor, meeting, profile, day)
            _report(progress, "Laying out the notice…")
            write_pdf(final, notice_pdf_bytes(notice, letterhead))
            return 1
        actor.require(MANAGE_GOVERNANCE)
        if self.db.read_only:  # the notices would be printed but not kept
            raise ReadOnlyDatabaseError(self.db.read_only_message())
        notice = self._general_notice(meeting, profile, day)
        recipients, skipped = self._member_recipients(actor, day)
        if skipped:
            # Every member must be given notice: none is printed until all can be.
            names = "\n".join(f"• {s.school_name}: {s.reason}" for s in skipped[:20])
            raise ServiceError(
                "No notices were printed or recorded: every member must be given notice, and "
                "these have no postal address. Put their address right (in Schools, or in "
                f"Members for an organisation), then print the notices again.\n{names}"
            )
        if not recipients:
            raise ServiceError(
                f"No notices could be produced: there were no members on {format_date(day)} "
                "to give notice to."
            )
        letters = [(recipient, notice_letter(notice, paper)) for recipient, paper in recipients]
        total = len(letters)

        def each(number: int) -> None:
            if progress is not None:
                progress.report(number - 1, total, f"Notice {number:,} of {total:,}")

        buffer = io.BytesIO()
        rendered = render_letters(
            buffer,
            letterhead,
            (letter for _recipient, letter in letters),
            title=f"{notice.title}, {meeting.label}",
            on_letter=each,
        )
        pdf = buffer.getvalue()
        _report(progress, "Recording the notices…")
        place_recorded(
            final,
            pdf,
            lambda: self._record_notices(
                actor, meeting, notice, final.name, pdf, rendered.pages_per_letter, letters
            ),
            lambda made: self._take_back(actor, made),
            what="notices",
        )
        if meeting.notice_sent_on is None and day < meeting.meets_on:
            self._note_sent(actor, meeting.id, day)
        return total

    def agenda(self, actor: Actor, meeting_id: int, out: str | Path) -> MeetingDetail:
        """The agenda on the letterhead at ``out``: numbered items, presenters, papers."""
        actor.require(VIEW)
        final = _pdf_target(out, "the agenda")
        meeting = self._meetings.get_meeting(actor, meeting_id)
        letterhead = self._letterhead(actor)
        paper = Agenda(_heading(meeting, letterhead), _entries(meeting), meeting.notice_sent_on)
        write_pdf(final, agenda_pdf_bytes(paper, letterhead))
        return meeting

    def minutes(self, actor: Actor, meeting_id: int, out: str | Path) -> MeetingDetail:
        """The minutes at ``out``: marked DRAFT until approved, with the signature block."""
        actor.require(VIEW)
        final = _pdf_target(out, "the minutes")
        meeting = self._meetings.get_meeting(actor, meeting_id)
        letterhead = self._letterhead(actor)
        approved_at = ""
        if meeting.approved_at_meeting_id is not None:
            later = self._meetings.get_meeting(actor, meeting.approved_at_meeting_id)
            approved_at = _meeting_words(later)
        # Each person's capacity on the day ("Chair", "Director"), as minutes name them.
        capacities = {
            a.person_id: a.capacity
            for a in self._people.members_of(actor, meeting.body.id, meeting.meets_on)
        }
        paper = minutes_paper(meeting, _heading(meeting, letterhead), approved_at, capacities)
        write_pdf(final, minutes_pdf_bytes(paper, letterhead))
        return meeting

    # -- the logs and the register ------------------------------------------------------------
    def decision_log(
        self,
        actor: Actor,
        out: str | Path,
        body_id: int | None = None,
        year: AcademicYear | None = None,
    ) -> int:
        """Every decision (of the body, in the year) at ``out``; returns how many."""
        actor.require(VIEW)
        final = _pdf_target(out, "the decision log")
        log = self._decision_log(actor, body_id, year)
        write_pdf(final, decision_log_pdf_bytes(log, self._letterhead(actor)))
        return len(log.entries)

    def action_log(
        self,
        actor: Actor,
        out: str | Path,
        body_id: int | None = None,
        open_only: bool = False,
        as_at: date | None = None,
    ) -> int:
        """The actions (of the body; only open ones when asked) at ``out``, those overdue on
        ``as_at`` (today) said so; returns how many."""
        actor.require(VIEW)
        final = _pdf_target(out, "the action log")
        log = self._action_log(actor, body_id, open_only, as_at or date.today())
        write_pdf(final, action_log_pdf_bytes(log, self._letterhead(actor)))
        return len(log.entries)

    def directors_register(self, actor: Actor, as_at: date, out: str | Path) -> int:
        """The register of directors as at ``as_at``: current directors, then former ones;
        returns how many lines it has."""
        actor.require(VIEW)
        final = _pdf_target(out, "the register of directors")
        register = self._people.register_of_directors(actor, as_at)
        letterhead = self._letterhead(actor)
        paper = DirectorsRegisterPaper(
            company=letterhead.name,
            company_number=letterhead.company_number,
            body_name=register.body_name,
            as_at=as_at,
            current=tuple(_director(e) for e in register.current),
            former=tuple(_director(e) for e in register.former),
        )
        write_pdf(final, directors_pdf_bytes(paper, letterhead))
        return len(register.entries)

    def decisions_and_actions_xlsx(
        self,
        actor: Actor,
        out: str | Path,
        body_id: int | None = None,
        year: AcademicYear | None = None,
        progress: Progress | None = None,
    ) -> tuple[int, int]:
        """A workbook at ``out`` with a Decisions sheet and an Actions sheet (actions raised
        in ``year`` when given); returns how many decisions and actions it holds."""
        actor.require(VIEW)
        target = Path(out)
        if target.suffix.casefold() != ".xlsx":
            raise ValidationError(
                {"out": "Choose a file ending .xlsx for the decisions and actions."}
            )
        _report(progress, "Reading the decisions and actions…")
        decisions = self._decision_log(actor, body_id, year)
        actions = self._action_log(actor, body_id, False, date.today(), year)
        write_decisions_and_actions(
            target, decisions, actions, source=str(self.db.describe()), progress=progress
        )
        return len(decisions.entries), len(actions.entries)

    # -- the pieces ---------------------------------------------------------------------------
    def _letterhead(self, actor: Actor) -> Letterhead:
        return letterhead_from(self._organisation.get_profile(actor))

    def _scope(self, actor: Actor, body_id: int | None, year: AcademicYear | None) -> str:
        body = self._bodies.get_body(actor, body_id).name if body_id is not None else "All bodies"
        return f"{body}, {f'academic year {year.label}' if year is not None else 'all years'}"

    def _decision_log(
        self, actor: Actor, body_id: int | None, year: AcademicYear | None
    ) -> DecisionLog:
        scope = self._scope(actor, body_id, year)
        entries = self._decision_lines(body_id, year)
        company = self._letterhead(actor).name
        return DecisionLog(company, scope, tuple(entries))

    def _decision_lines(self, body_id: int | None, year: AcademicYear | None) -> list[DecisionLine]:
        """Every decision, oldest meeting first: read in two statements, not a meeting at a
        time (a log of ten years' meetings prints in a moment)."""
        query = (
            select(Decision, Meeting, GoverningBody, AgendaItem)
            .join(Meeting, Decision.meeting_id == Meeting.id)
            .join(GoverningBody, Meeting.body_id == GoverningBody.id)
            .join(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
            .order_by(Meeting.meets_on, Meeting.id, Decision.number)
        )
        if body_id is not None:
            query = query.where(Meeting.body_id == body_id)
        if year is not None:
            query = query.where(Meeting.meets_on.between(year.first_day, year.last_day))
        # The lines are made inside the session: its rows are not read after it closes.
        with self.db.read_session() as session:
            rows = session.execute(query).all()
            bodies = {meeting.body_id for _d, meeting, _b, _i in rows}
            held = session.execute(
                select(Meeting.id, Meeting.body_id, Meeting.meets_on).where(
                    Meeting.body_id.in_(bodies or {0})
                )
            ).all()
            suffixes = month_suffixes(held)
            lines = []
            for decision, meeting, body, item in rows:
                votes = Votes(decision.votes_for, decision.votes_against, decision.votes_abstaining)
                lines.append(
                    DecisionLine(
                        reference=decision_reference(
                            body.code, meeting.meets_on, decision.number, suffixes[meeting.id]
                        ),
                        text=decision.text,
                        kind=decision.kind.label,
                        result=decision.result.label,
                        votes=votes.label,
                        meets_on=meeting.meets_on,
                        body_name=body.name,
                        meeting=meeting_label(meeting.title, meeting.meets_on),
                        item=f"{item.position}. {item.title}",
                        votes_for=votes.for_,
                        votes_against=votes.against,
                        votes_abstaining=votes.abstaining,
                    )
                )
        return lines

    def _action_log(
        self,
        actor: Actor,
        body_id: int | None,
        open_only: bool,
        as_at: date,
        year: AcademicYear | None = None,
    ) -> ActionLog:
        body = self._bodies.get_body(actor, body_id).name if body_id is not None else "All bodies"
        found = self._actions.list_actions(actor, ActionFilter(body_id, open_only))
        if year is not None:
            found = [a for a in found if a.raised_on in year]
        parts = [body, "open actions only" if open_only else "open and closed actions"]
        if year is not None:
            parts.append(f"raised in {year.label}")
        parts.append(f"as at {format_date(as_at)}")
        company = self._letterhead(actor).name
        return ActionLog(company, ", ".join(parts), as_at, tuple(_action(a, as_at) for a in found))

    def _body_notice(
        self, actor: Actor, meeting: MeetingDetail, profile: ProfileData, day: date
    ) -> Notice:
        members = self._people.members_of(actor, meeting.body.id, meeting.meets_on)
        # The chair first, then the vice-chair, the members, the observers; the clerk signs.
        ordered = sorted(
            (m for m in members if m.capacity is not Capacity.CLERK),
            key=lambda m: (list(Capacity).index(m.capacity), m.person_name.casefold()),
        )
        names = tuple(
            m.person_name
            if m.capacity in (Capacity.DIRECTOR, Capacity.MEMBER)
            else f"{m.person_name} ({_capacity_words(m.capacity)})"
            for m in ordered
        )
        clerk = next((m for m in members if m.capacity is Capacity.CLERK), None)
        if clerk is not None:
            signatory, role = clerk.person_name, f"Clerk to the {meeting.body.name}"
        else:
            signatory, role = _secretary(profile)
        return Notice(
            heading=_heading(meeting, letterhead_from(profile)),
            items=_entries(meeting),
            dated=day,
            signatory=signatory,
            signatory_role=role,
            members=names,
            given_by=(
                "By order of the Board"
                if meeting.body.kind is BodyKind.BOARD
                else f"By order of the Chair of the {meeting.body.name}"
            ),
        )

    def _general_notice(self, meeting: MeetingDetail, profile: ProfileData, day: date) -> Notice:
        signatory, role = _secretary(profile)
        return Notice(
            heading=_heading(meeting, letterhead_from(profile)),
            items=_entries(meeting),
            dated=day,
            signatory=signatory,
            signatory_role=role,
            general_meeting=True,
        )

    def _member_recipients(
        self, actor: Actor, day: date
    ) -> tuple[list[tuple[Recipient, NoticeRecipient]], list[Skipped]]:
        """Every member on ``day`` (full and associate; one under notice is still a member),
        addressed as a letter to members is: a member school's head at the school."""
        member_ids = self._letters.member_ids(actor, on=day)
        if not member_ids:
            return [], []
        categories = {}
        for member in self._members.list_member_details(actor):
            period = member.period_on(day)
            if period is not None:
                categories[member.id] = period.category
        recipients, skipped = self._letters.recipients(
            actor, [], HEAD_TEACHER, member_ids=member_ids, on=day, fields=()
        )
        papers = []
        for recipient in recipients:
            greeting = recipient.values.get("contact.salutation") or "Sir or Madam"
            papers.append(
                (
                    recipient,
                    NoticeRecipient(
                        member_name=recipient.school_name,
                        address=recipient.address,
                        salutation=f"Dear {greeting},",
                        full_member=categories.get(recipient.member_id or 0) is Category.FULL,
                        reference=recipient.reference,
                    ),
                )
            )
        return papers, skipped

    @save
    def _record_notices(
        self,
        actor: Actor,
        meeting: MeetingDetail,
        notice: Notice,
        filename: str,
        pdf: bytes,
        pages: Sequence[int],
        letters: Sequence[tuple[Recipient, Letter]],
    ) -> int:
        """The PDF kept and each notice in its member's correspondence: one transaction."""
        with self.db.session() as session:
            title = f"{notice.title}, {meeting.label}"
            document = _document(actor, title, filename, pdf, sum(pages))
            session.add(document)
            session.flush()
            first = 1
            for (recipient, letter), count in zip(letters, pages, strict=True):
                session.add(
                    Correspondence(
                        school_id=recipient.school_id,
                        member_id=recipient.member_id,
                        document_id=document.id,
                        first_page=first,
                        pages=count,
                        template_name=NOTICE_TEMPLATE,
                        subject=letter.subject[:500],
                        recipient_name=(recipient.contact_name or letter.recipient[0])[:200],
                        recipient_role=recipient.contact_role[:100],
                        our_ref=letter.our_ref[:100],
                        note=recipient.warning[:500],
                        created_by=actor.name,
                        updated_by=actor.name,
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
                    detail=f"{notice.title} of {format_date(notice.heading.meets_on)} sent on "
                    f"{format_date(notice.dated)} to {len(letters)} members: "
                    + ", ".join(recipient.school_name for recipient, _letter in letters),
                ),
            )
            return document.id

    @save
    def _note_sent(self, actor: Actor, meeting_id: int, day: date) -> None:
        """The meeting records the day its notice went, once the notices are saved and kept,
        unless a day was recorded meanwhile (the clerk's own record stands) or its minutes
        were approved (they do not change)."""
        with self.db.session() as session:
            row = session.get(Meeting, meeting_id)
            if row is not None and row.notice_sent_on is None and not row.minutes_status.locked:
                row.notice_sent_on = day
                row.updated_at = utcnow()
                row.updated_by = actor.name

    @save
    def _take_back(self, actor: Actor, document_id: int) -> None:
        """The records of a run whose file could not take its place."""
        with self.db.session() as session:
            session.execute(delete(Correspondence).where(Correspondence.document_id == document_id))
            session.execute(delete(Document).where(Document.id == document_id))


# -- from the services' data to the papers ------------------------------------------------------


def month_suffixes(meetings: Sequence[tuple[int, int, date]]) -> dict[int, str]:
    """Each meeting's part of its decisions' references: "" for its body's first meeting of
    the month, then "b", "c"… (``B/2025/07b/1``), as the meetings service numbers them.

    ``meetings`` are (meeting id, body id, date).
    """
    by_month: dict[tuple[int, int, int], list[tuple[date, int]]] = {}
    for meeting_id, body_id, meets_on in meetings:
        key = (body_id, meets_on.year, meets_on.month)
        by_month.setdefault(key, []).append((meets_on, meeting_id))
    suffixes = {}
    for same_month in by_month.values():
        for place, (_day, meeting_id) in enumerate(sorted(same_month)):
            suffixes[meeting_id] = "" if place == 0 else chr(ord("a") + place)
    return suffixes


def _pdf_target(out: str | Path, what: str) -> Path:
    target = Path(out)
    if target.suffix.casefold() != ".pdf":
        raise ValidationError({"out": f"Save {what} as a PDF (a name ending .pdf)."})
    problem = pdf_path_problem(target)
    if problem:
        raise ValidationError({"out": problem})
    return target


def _report(progress: Progress | None, words: str) -> None:
    if progress is not None:
        progress.report(0, 0, words)


def _is_general(meeting: MeetingDetail) -> bool:
    body = meeting.body
    return body.kind is BodyKind.GENERAL_MEETING or body.voters is Voters.MEMBER_SCHOOLS


def _secretary(profile: ProfileData) -> tuple[str, str]:
    """Who gives notice "By order of the Board": the company secretary, else the signatory."""
    if profile.company_secretary.strip():
        return profile.company_secretary.strip(), "Company Secretary"
    if profile.signatory_name.strip():
        return profile.signatory_name.strip(), profile.signatory_position.strip()
    raise ServiceError(
        "Nobody gives the notice: type the company secretary (or the default signatory) in "
        "Settings > Organisation profile, then print it again."
    )


def _capacity_words(capacity: Capacity) -> str:
    """``Chair``, ``Observer, no vote``."""
    words = capacity.label.replace(" (no vote)", "")
    return words if capacity.votes else f"{words}, no vote"


def _heading(meeting: MeetingDetail, letterhead: Letterhead) -> MeetingHeading:
    return MeetingHeading(
        company=letterhead.name,
        body_name=meeting.body.name,
        title=meeting.title,
        meets_on=meeting.meets_on,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        online_link=meeting.online_link,
    )


def _meeting_words(meeting: MeetingDetail) -> str:
    """``the meeting of the Board of Directors``, ``the Annual General Meeting``."""
    if meeting.kind is MeetingKind.ORDINARY:
        return f"the meeting of the {meeting.body.name}"
    return f"the {meeting.title}"


def _entries(meeting: MeetingDetail) -> tuple[AgendaEntry, ...]:
    return tuple(
        AgendaEntry(
            item.position, item.title, item.presenter, tuple(p.file_name for p in item.papers)
        )
        for item in meeting.items
    )


def _attendance_line(line: AttendanceDetail, capacity: Capacity | None) -> AttendanceLine:
    notes = []
    if line.member_id is not None:
        if line.by_proxy:
            notes.append(f"by proxy: {line.proxy_name}" if line.proxy_name else "by proxy")
        elif line.name and line.name != line.label:
            notes.append(f"represented by {line.name}")
    if line.arrived_at_item is not None:
        notes.append(f"joined at item {line.arrived_at_item}")
    if line.left_at_item is not None:
        notes.append(f"left before item {line.left_at_item}")
    if line.status in (Attendance.PRESENT, Attendance.IN_ATTENDANCE) and not line.votes:
        if line.why_no_vote and line.status is Attendance.PRESENT:
            notes.append(f"no vote: {line.why_no_vote}")
    role = line.role
    if not role and capacity is not None:
        role = _capacity_words(capacity)
    return AttendanceLine(line.label, role, ", ".join(notes))


def _quorum_words(meeting: MeetingDetail) -> str:
    rule = meeting.body.quorum.label
    if not meeting.attendance:
        return f"No attendance has been recorded yet (the quorum is {rule})."
    if not meeting.quorum:
        return f"The quorum is {rule}."
    needed = meeting.quorum[0].needed
    short = [q for q in meeting.quorum if not q.quorate]
    least = min(q.present for q in meeting.quorum)
    if not short:
        return (
            f"The meeting was quorate throughout: {needed} needed ({rule}), and at least "
            f"{least} present at every item."
        )
    items = ", ".join(str(q.item) for q in short)
    return (
        f"The meeting was NOT quorate at item{'s' if len(short) > 1 else ''} {items} "
        f"({least} present of the {needed} needed; the quorum is {rule}). No decision can be "
        "taken at an item without a quorum."
    )


def _decision(decision: DecisionDetail, meeting: MeetingDetail | None = None) -> DecisionLine:
    votes = decision.votes
    meets_on = decision.meets_on or (meeting.meets_on if meeting else None)
    return DecisionLine(
        reference=decision.reference,
        text=decision.text,
        kind=decision.kind.label,
        result=decision.result.label,
        votes=votes.label,
        meets_on=meets_on,
        body_name=meeting.body.name if meeting else "",
        meeting=meeting.label if meeting else decision.meeting_title,
        item=f"{decision.item_position}. {decision.item_title}",
        votes_for=votes.for_,
        votes_against=votes.against,
        votes_abstaining=votes.abstaining,
    )


def _action(action: ActionDetail, on: date) -> ActionLine:
    return ActionLine(
        text=action.text,
        owner=action.owner_label,
        due_on=action.due_on,
        status=action.status.label,
        is_open=action.is_open,
        overdue=action.overdue(on),
        raised_at=action.meeting_label,
        raised_on=action.raised_on,
        closed_on=action.closed_on,
        progress=action.progress,
        body_name=action.body_name,
    )


def _director(entry: DirectorEntry) -> DirectorLine:
    return DirectorLine(
        name=entry.name,
        former_names=entry.former_names,
        service_address=", ".join(
            p.strip() for p in entry.service_address.splitlines() if p.strip()
        ),
        country_of_residence=entry.country_of_residence,
        nationality=entry.nationality,
        occupation=entry.occupation,
        born=entry.born,
        capacity=entry.capacity.label,
        appointed_on=entry.appointed_on,
        ceased_on=entry.ceased_on,
        why_ended=entry.why_ended.label if entry.why_ended is not None else "",
    )


def minutes_paper(
    meeting: MeetingDetail,
    heading: MeetingHeading,
    approved_at: str = "",
    capacities: dict[int, Capacity] | None = None,
) -> Minutes:
    """The minutes of ``meeting`` as the report prints them; ``capacities`` says in what
    capacity each person sat on the body that day."""
    capacities = capacities or {}
    present, in_attendance, apologies, absent = [], [], [], []
    chair = meeting.chair_name
    for line in meeting.attendance:
        if line.id is None:  # proposed from the body's members, never recorded
            continue
        capacity = capacities.get(line.person_id) if line.person_id is not None else None
        paper = _attendance_line(line, capacity)
        if not chair and capacity is Capacity.CHAIR and line.status is Attendance.PRESENT:
            chair = line.label  # no one else named in the chair: the body's chair, there
        if line.status is Attendance.PRESENT and line.votes:
            present.append(paper)
        elif line.status in (Attendance.PRESENT, Attendance.IN_ATTENDANCE):
            in_attendance.append(paper)
        elif line.status is Attendance.APOLOGIES:
            apologies.append(paper)
        else:
            absent.append(paper)
    items = []
    for item in meeting.items:
        quorum = meeting.quorum_at(item.position)
        declared = tuple(
            f"{d.name}: {d.interest}" for d in meeting.declarations if d.agenda_item_id == item.id
        )
        items.append(
            MinutesItem(
                number=item.position,
                title=item.title,
                presenter=item.presenter,
                minutes=item.minutes,
                decisions=tuple(
                    _decision(d, meeting) for d in meeting.decisions if d.agenda_item_id == item.id
                ),
                actions=tuple(
                    _action(a, meeting.meets_on)
                    for a in meeting.actions
                    if a.agenda_item_id == item.id
                ),
                declarations=declared,
                quorum_note=(
                    f"Not quorate at this item: {quorum.present} present of {quorum.needed} needed."
                    if quorum is not None and meeting.attendance and not quorum.quorate
                    else ""
                ),
            )
        )
    loose = tuple(_action(a, meeting.meets_on) for a in meeting.actions if a.agenda_item_id is None)
    declarations = tuple(
        f"{d.name}: {d.interest}" + (f" (item {d.item_position})" if d.item_position else "")
        for d in meeting.declarations
    )
    return Minutes(
        heading=heading,
        status=meeting.minutes_status.label,
        draft=not meeting.locked,
        present=tuple(present),
        in_attendance=tuple(in_attendance),
        apologies=tuple(apologies),
        absent=tuple(absent),
        quorum=_quorum_words(meeting),
        items=tuple(items),
        declarations=declarations,
        matters_arising=tuple(_action(a, meeting.meets_on) for a in meeting.matters_arising),
        errata=tuple(
            ErratumLine(e.noted_on, e.correction, e.reason, e.item_position) for e in meeting.errata
        ),
        other_actions=loose,
        chair=chair,
        signed_by=meeting.signed_by,
        signed_on=meeting.signed_on,
        approved_on=meeting.approved_on,
        approved_at=approved_at,
        circulated_on=meeting.circulated_on,
        general_meeting=_is_general(meeting),
    )
