"""Meetings: notice, agenda and papers, attendance and quorum, minutes, decisions, and the
minutes' lifecycle (draft, circulated, approved at a later meeting, signed by the chair)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    Attendance,
    BodyKind,
    Capacity,
    DecisionKind,
    DecisionResult,
    MeetingKind,
    MinutesStatus,
    Presence,
    QuorumAt,
    Voters,
    Votes,
    check_notice,
    decision_reference,
    in_office,
    presence_problems,
    quorum_at,
    result_problem,
)
from thep_desktop.models import (
    AgendaItem,
    AgendaPaper,
    Appointment,
    Decision,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    InterestDeclaration,
    Meeting,
    MeetingAttendance,
    Member,
    MinutesErratum,
)
from thep_desktop.models.base import utcnow
from thep_desktop.services.governance.governance_data import (
    AgendaItemDetail,
    AgendaItemInput,
    AttendanceDetail,
    AttendanceInput,
    DecisionDetail,
    DecisionInput,
    DeclarationDetail,
    DeclarationInput,
    ErratumDetail,
    MeetingDetail,
    MeetingInput,
    MeetingSummary,
    PaperDetail,
    meeting_label,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governance_records import (
    action_details,
    arising_actions,
    body_detail,
    member_names,
    members_on,
    person_name,
    quorum_of,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

MEETING_LABELS = {
    "body_id": "Body",
    "meets_on": "Date",
    "title": "Title",
    "kind": "Kind of meeting",
    "starts_at": "Start time",
    "ends_at": "End time",
    "venue": "Venue",
    "online_link": "Online link",
    "notice_sent_on": "Notice sent on",
    "chair_person_id": "Chair",
    "notes": "Notes",
}
MAX_PAPER_BYTES = 20 * 1024 * 1024
_GONE = "This meeting is no longer there: someone else may have deleted it."
_ITEM_GONE = "This agenda item is no longer there: someone else may have changed the agenda."

# The agenda a new meeting starts from; the clerk edits it.
USUAL_AGENDA = (
    "Welcome and apologies for absence",
    "Declarations of interest",
    "Minutes of the last meeting and matters arising",
)
CLOSING_AGENDA = ("Any other business", "Date of the next meeting")
BUSINESS = {
    BodyKind.BOARD: ("Executive Director's report", "Finance report", "Risk register"),
    BodyKind.ADVISORY_COUNCIL: (
        "Executive Director's report",
        "The partnership's priorities: discussion",
        "Reports from the phase representatives",
    ),
    BodyKind.GENERAL_MEETING: ("Report of the Board",),
    BodyKind.COMMITTEE: ("Reports",),
}
AGM_BUSINESS = (
    "Annual report and accounts",
    "Appointment and re-appointment of directors",
    "Membership fees for the coming year",
)


def usual_agenda(kind: BodyKind, meeting: MeetingKind) -> tuple[str, ...]:
    """The items a new meeting of a body starts with."""
    business = AGM_BUSINESS if meeting == MeetingKind.ANNUAL else BUSINESS[kind]
    return (*USUAL_AGENDA, *business, *CLOSING_AGENDA)


def approval_text(meets_on: date) -> str:
    return (
        f"That the minutes of the meeting held on {format_date(meets_on)} be approved as a "
        "true record and signed by the chair."
    )


class MeetingsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # -- reading --------------------------------------------------------------------------

    def list_meetings(
        self,
        actor: Actor,
        body_id: int | None = None,
        year: AcademicYear | None = None,
        search: str = "",
        since: date | None = None,
    ) -> list[MeetingSummary]:
        """Meetings, newest first (``since`` a day: from then on), with their notice checked
        and their counts."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = (
                select(Meeting, GoverningBody)
                .join(GoverningBody, GoverningBody.id == Meeting.body_id)
                .order_by(Meeting.meets_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
            )
            if body_id is not None:
                query = query.where(Meeting.body_id == body_id)
            if year is not None:
                query = query.where(
                    Meeting.meets_on >= year.first_day, Meeting.meets_on <= year.last_day
                )
            if since is not None:
                query = query.where(Meeting.meets_on >= since)
            words = " ".join((search or "").split()).casefold()
            if words:
                like = f"%{words}%"
                query = query.where(
                    or_(
                        func.lower(Meeting.title).like(like),
                        func.lower(Meeting.venue).like(like),
                        func.lower(GoverningBody.name).like(like),
                    )
                )
            rows = list(session.execute(query).all())
            ids = [meeting.id for meeting, _ in rows] or [0]
            decisions = dict(
                session.execute(  # type: ignore[arg-type]
                    select(Decision.meeting_id, func.count(Decision.id))
                    .where(Decision.meeting_id.in_(ids))
                    .group_by(Decision.meeting_id)
                ).all()
            )
            open_actions = dict(
                session.execute(  # type: ignore[arg-type]
                    select(GovernanceAction.meeting_id, func.count(GovernanceAction.id))
                    .where(
                        GovernanceAction.meeting_id.in_(ids),
                        GovernanceAction.closed_on.is_(None),
                    )
                    .group_by(GovernanceAction.meeting_id)
                ).all()
            )
            return [
                MeetingSummary(
                    id=meeting.id,
                    version=meeting.version,
                    body_id=body.id,
                    body_name=body.name,
                    body_code=body.code,
                    kind=meeting.kind,
                    title=meeting.title,
                    meets_on=meeting.meets_on,
                    starts_at=meeting.starts_at,
                    venue=meeting.venue or meeting.online_link,
                    cancelled=meeting.cancelled,
                    minutes_status=meeting.minutes_status,
                    notice=check_notice(
                        meeting.notice_sent_on, meeting.meets_on, body.notice_clear_days
                    ),
                    decisions=decisions.get(meeting.id, 0),
                    open_actions=open_actions.get(meeting.id, 0),
                    uuid=meeting.uuid,
                )
                for meeting, body in rows
            ]

    def get_meeting(
        self, actor: Actor, meeting_id: int, today: date | None = None
    ) -> MeetingDetail:
        """Everything about one meeting: its agenda and minutes, who was there and the quorum
        at each item, its decisions, declarations, actions, matters arising and errata."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            meeting = _meeting(session, meeting_id)
            voters = _entitled_members(self.db, actor, session, meeting)
            return _detail(session, meeting, voters, today or date.today())

    def proposed_attendance(self, actor: Actor, meeting_id: int) -> list[AttendanceDetail]:
        """The saved attendance, then whoever is expected and not yet listed, as absent: the
        body's members in office on the day, or at a general meeting the member schools
        entitled to vote."""
        detail = self.get_meeting(actor, meeting_id)
        with self.db.read_session() as session:
            meeting = _meeting(session, meeting_id)
            listed_people = {a.person_id for a in detail.attendance if a.person_id}
            listed_members = {a.member_id for a in detail.attendance if a.member_id}
            extra: list[AttendanceDetail] = []
            if meeting.body.voters == Voters.MEMBER_SCHOOLS:
                voters = _entitled_members(self.db, actor, session, meeting)
                names = member_names(session, voters)
                for member_id in sorted(voters, key=lambda m: names.get(m, "").casefold()):
                    if member_id not in listed_members:
                        extra.append(
                            AttendanceDetail(
                                None,
                                Attendance.ABSENT,
                                None,
                                member_id,
                                "",
                                "",
                                False,
                                "",
                                None,
                                None,
                                names.get(member_id, ""),
                                True,
                                "",
                            )
                        )
            else:
                for appointment in members_on(session, meeting.body_id, meeting.meets_on):
                    if appointment.person_id not in listed_people:
                        votes = appointment.capacity.votes
                        extra.append(
                            AttendanceDetail(
                                None,
                                Attendance.ABSENT,
                                appointment.person_id,
                                None,
                                "",
                                appointment.capacity.label,
                                False,
                                "",
                                None,
                                None,
                                appointment.person_name,
                                votes,
                                "" if votes else _no_vote_words(appointment.capacity),
                            )
                        )
        return [*detail.attendance, *extra]

    def paper_content(self, actor: Actor, paper_id: int) -> tuple[str, bytes]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            paper = session.get(AgendaPaper, paper_id)
            if paper is None:
                raise NotFoundError("This paper is no longer there.")
            return paper.file_name, bytes(paper.content)

    # -- the meeting ----------------------------------------------------------------------

    @save
    def save_meeting(
        self,
        actor: Actor,
        data: MeetingInput,
        meeting_id: int | None = None,
        expected_version: int | None = None,
    ) -> MeetingDetail:
        """A new meeting (with the usual agenda) or a change to one loaded at
        ``expected_version``. Short notice is a warning shown with the meeting, not a refusal:
        the meeting happened or will happen, and the record must say so."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(Meeting.__table__, MEETING_LABELS)  # type: ignore[arg-type]
        values: dict[str, object] = {
            "title": " ".join(checker.text("title", data.title).split()),
            "venue": checker.text("venue", data.venue),
            "online_link": checker.text("online_link", data.online_link),
            "notes": checker.text("notes", data.notes),
            "starts_at": data.starts_at,
            "ends_at": data.ends_at,
            "notice_sent_on": data.notice_sent_on,
            "chair_person_id": data.chair_person_id,
            "cancelled": bool(data.cancelled),
        }
        if data.body_id is None:
            checker.fail(
                "body_id",
                "Choose the body that meets (the Board, the Advisory Council, a general meeting…).",
            )
        if data.meets_on is None:
            checker.fail("meets_on", "Give the date of the meeting.")
        try:
            values["kind"] = (
                data.kind if isinstance(data.kind, MeetingKind) else MeetingKind.parse(data.kind)
            )
        except ValueError as exc:
            checker.fail("kind", str(exc))
        link = str(values["online_link"])
        if link and not re.match(r"https?://\S+$", link):
            checker.fail(
                "online_link",
                "An online link starts with https:// (e.g. the Teams "
                "or Zoom invitation's address).",
            )
        if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
            checker.fail("ends_at", "The meeting ends after it starts.")
        if data.notice_sent_on and data.meets_on and data.notice_sent_on > data.meets_on:
            checker.fail("notice_sent_on", "Notice is sent before the meeting, not after it.")
        if checker.errors:
            raise ValidationError(checker.errors)
        assert data.body_id is not None and data.meets_on is not None
        values["body_id"] = data.body_id
        values["meets_on"] = data.meets_on
        try:
            with self.db.session() as session:
                body = session.get(GoverningBody, data.body_id)
                if body is None:
                    raise ValidationError({"body_id": "This body is no longer there."})
                if data.chair_person_id is not None and (
                    session.get(GovernancePerson, data.chair_person_id) is None
                ):
                    raise ValidationError({"chair_person_id": "This person is no longer there."})
                if _annual_needs_general(values["kind"], body):
                    raise ValidationError(
                        {
                            "kind": "Only a general meeting of members is an annual general "
                            "meeting; choose Meeting or Extraordinary meeting."
                        }
                    )
                if not values["title"]:
                    values["title"] = _title(body, values["kind"])  # type: ignore[arg-type]
                if meeting_id is None:
                    row = Meeting(
                        **values,
                        minutes_status=MinutesStatus.DRAFT,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                    session.add(row)
                    session.flush()
                    agenda = usual_agenda(body.kind, values["kind"])  # type: ignore[arg-type]
                    for position, title in enumerate(agenda, start=1):
                        session.add(
                            AgendaItem(
                                meeting_id=row.id,
                                position=position,
                                title=title,
                                created_by=actor.name,
                                updated_by=actor.name,
                            )
                        )
                else:
                    row = _meeting(session, meeting_id)
                    _refuse_locked(row)
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("meeting")
                    if row.body_id != data.body_id and _has_records(session, row.id):
                        raise ValidationError(
                            {
                                "body_id": "This meeting has decisions or actions recorded, so it "
                                "stays with its body."
                            }
                        )
                    for field, value in values.items():
                        setattr(row, field, value)
                    _touch(row, actor)
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("meeting") from None
        return self.get_meeting(actor, new_id)

    @save
    def delete_meeting(self, actor: Actor, meeting_id: int, expected_version: int) -> None:
        """Remove a meeting entered in error: one with decisions or actions stays (untick it
        as cancelled instead), and approved minutes never go."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = _meeting(session, meeting_id)
            _refuse_locked(row)
            if row.version != expected_version:
                raise changed_meanwhile("meeting")
            if _has_records(session, row.id):
                raise ServiceError(
                    f"{meeting_label(row.title, row.meets_on)} has decisions or actions on "
                    "record, so it stays. Mark it cancelled if it did not take place."
                )
            approving = session.scalar(
                select(func.count(Meeting.id)).where(Meeting.approved_at_meeting_id == row.id)
            )
            if approving:
                raise ServiceError("Earlier minutes were approved at this meeting, so it stays.")
            session.delete(row)

    # -- agenda, minutes and papers -------------------------------------------------------

    @save
    def save_agenda(
        self,
        actor: Actor,
        meeting_id: int,
        items: Sequence[AgendaItemInput],
        expected_version: int,
    ) -> MeetingDetail:
        """The agenda becomes ``items`` in their order, each with its minutes. Items keep
        their ids; an item with decisions, actions or papers is not removed."""
        actor.require(MANAGE_GOVERNANCE)
        errors: dict[str, str] = {}
        checker = FieldChecker(AgendaItem.__table__, {"title": "Item title"})  # type: ignore[arg-type]
        cleaned = []
        for number, item in enumerate(items, start=1):
            title = " ".join(checker.text(f"title_{number}", item.title, column="title").split())
            if not title:
                errors[f"title_{number}"] = f"Item {number} needs a title."
            cleaned.append(
                (
                    item.item_id,
                    title,
                    checker.text(f"presenter_{number}", item.presenter, column="presenter"),
                    checker.text(f"minutes_{number}", item.minutes, column="minutes"),
                )
            )
        errors.update(checker.errors)
        if not cleaned:
            errors["items"] = "An agenda has at least one item."
        if errors:
            raise ValidationError(errors)
        try:
            with self.db.session() as session:
                meeting = _meeting(session, meeting_id)
                _refuse_locked(meeting)
                if meeting.version != expected_version:
                    raise changed_meanwhile("meeting")
                existing = {
                    item.id: item
                    for item in session.scalars(
                        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                    )
                }
                kept = {item_id for item_id, *_ in cleaned if item_id is not None}
                unknown = kept - set(existing)
                if unknown:
                    raise changed_meanwhile("agenda")
                for item_id, row in existing.items():
                    if item_id not in kept:
                        _refuse_item_in_use(session, row)
                        session.delete(row)
                session.flush()
                # Positions move out of the way first: (meeting, position) is unique.
                for row in existing.values():
                    if row.id in kept:
                        row.position += 1000
                session.flush()
                for position, (new_id, title, presenter, minutes) in enumerate(cleaned, start=1):
                    if new_id is None:
                        session.add(
                            AgendaItem(
                                meeting_id=meeting_id,
                                position=position,
                                title=title,
                                presenter=presenter,
                                minutes=minutes,
                                created_by=actor.name,
                                updated_by=actor.name,
                            )
                        )
                    else:
                        row = existing[new_id]
                        row.position = position
                        row.title, row.presenter, row.minutes = title, presenter, minutes
                        _touch(row, actor)
                _touch(meeting, actor)
                session.flush()
                _refuse_moved_presence(session, meeting)
        except StaleDataError:
            raise changed_meanwhile("agenda") from None
        return self.get_meeting(actor, meeting_id)

    @save
    def save_item_minutes(
        self, actor: Actor, item_id: int, text: str, expected_version: int
    ) -> AgendaItemDetail:
        """The minutes of one agenda item."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(AgendaItem.__table__, {"minutes": "Minutes"})  # type: ignore[arg-type]
        minutes = checker.text("minutes", text)
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                item = _item(session, item_id)
                _refuse_locked(_meeting(session, item.meeting_id))
                if item.version != expected_version:
                    raise changed_meanwhile("agenda item")
                item.minutes = minutes
                _touch(item, actor)
                session.flush()
                return _items(session, [item])[0]
        except StaleDataError:
            raise changed_meanwhile("agenda item") from None

    @save
    def add_paper(self, actor: Actor, item_id: int, file_name: str, content: bytes) -> PaperDetail:
        """Attach a paper (any file, up to 20 MB) to an agenda item."""
        actor.require(MANAGE_GOVERNANCE)
        name = PurePath((file_name or "").replace("\\", "/")).name.strip()
        if not name:
            raise ValidationError({"file_name": "The paper needs a file name."})
        if len(name) > 255:
            raise ValidationError({"file_name": "The file name is too long (255 characters)."})
        if not content:
            raise ValidationError({"file_name": f"{name} is empty: there is nothing to attach."})
        if len(content) > MAX_PAPER_BYTES:
            raise ValidationError(
                {
                    "file_name": f"{name} is {len(content) / 1024 / 1024:.1f} MB; papers can be "
                    "up to 20 MB. Attach a smaller copy (e.g. a PDF) instead."
                }
            )
        with self.db.session() as session:
            item = _item(session, item_id)
            _refuse_locked(_meeting(session, item.meeting_id))
            paper = AgendaPaper(
                agenda_item_id=item_id,
                file_name=name,
                size=len(content),
                content=bytes(content),
                created_by=actor.name,
                updated_by=actor.name,
            )
            session.add(paper)
            session.flush()
            return PaperDetail(paper.id, paper.version, paper.file_name, paper.size)

    @save
    def remove_paper(self, actor: Actor, paper_id: int, expected_version: int) -> None:
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            paper = session.get(AgendaPaper, paper_id)
            if paper is None:
                raise NotFoundError("This paper is no longer there.")
            item = _item(session, paper.agenda_item_id)
            _refuse_locked(_meeting(session, item.meeting_id))
            if paper.version != expected_version:
                raise changed_meanwhile("paper")
            session.delete(paper)

    # -- attendance and declarations ------------------------------------------------------

    @save
    def save_attendance(
        self,
        actor: Actor,
        meeting_id: int,
        lines: Sequence[AttendanceInput],
        expected_version: int,
    ) -> MeetingDetail:
        """Who was at the meeting becomes ``lines``. Refused when a decision already recorded
        would no longer have been quorate, or would have more votes than voters there."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            _refuse_locked(meeting)
            _refuse_cancelled(meeting)
            if meeting.version != expected_version:
                raise changed_meanwhile("meeting")
            positions = list(
                session.scalars(
                    select(AgendaItem.position).where(AgendaItem.meeting_id == meeting_id)
                )
            )
            checked = _checked_attendance(session, lines, positions)
            voters = _entitled_members(self.db, actor, session, meeting)
            old = list(
                session.scalars(
                    select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting_id)
                )
            )
            for row in old:
                session.delete(row)
            session.flush()
            for values in checked:
                session.add(
                    MeetingAttendance(
                        meeting_id=meeting_id,
                        **values,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                )
            _touch(meeting, actor)
            session.flush()
            for decision in session.scalars(
                select(Decision).where(Decision.meeting_id == meeting_id)
            ):
                problem = _decision_problem(session, meeting, voters, decision)
                if problem:
                    raise ValidationError(
                        {
                            "attendance": f"Decision "
                            f"{_reference(session, meeting, decision.number)} would no longer "
                            f"stand: {problem}"
                        }
                    )
        return self.get_meeting(actor, meeting_id)

    @save
    def save_declarations(
        self,
        actor: Actor,
        meeting_id: int,
        declarations: Sequence[DeclarationInput],
        expected_version: int,
    ) -> MeetingDetail:
        """The declarations of interest become ``declarations``."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(
            InterestDeclaration.__table__,  # type: ignore[arg-type]
            {"name": "Name", "interest": "Interest"},
        )
        cleaned = []
        for number, line in enumerate(declarations, start=1):
            name = checker.text(f"name_{number}", line.name, column="name")
            interest = checker.text(f"interest_{number}", line.interest, column="interest")
            if not name:
                checker.fail(f"name_{number}", f"Declaration {number}: say who declared it.")
            if not interest:
                checker.fail(
                    f"interest_{number}", f"Declaration {number}: say what the interest is."
                )
            cleaned.append((name, interest, line.agenda_item_id))
        if checker.errors:
            raise ValidationError(checker.errors)
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            _refuse_locked(meeting)
            if meeting.version != expected_version:
                raise changed_meanwhile("meeting")
            items = set(
                session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id))
            )
            for row in session.scalars(
                select(InterestDeclaration).where(InterestDeclaration.meeting_id == meeting_id)
            ):
                session.delete(row)
            session.flush()
            for name, interest, item_id in cleaned:
                if item_id is not None and item_id not in items:
                    raise ValidationError({"agenda_item_id": _ITEM_GONE})
                session.add(
                    InterestDeclaration(
                        meeting_id=meeting_id,
                        agenda_item_id=item_id,
                        name=name,
                        interest=interest,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                )
            _touch(meeting, actor)
        return self.get_meeting(actor, meeting_id)

    # -- decisions ------------------------------------------------------------------------

    @save
    def save_decision(
        self,
        actor: Actor,
        meeting_id: int,
        data: DecisionInput,
        decision_id: int | None = None,
        expected_version: int | None = None,
    ) -> DecisionDetail:
        """Record a decision at an agenda item, numbered next in the meeting; or change one.

        Refused when the meeting was not quorate at the item, when the votes are more than
        those present and entitled to vote there, or when the result does not follow from
        the votes.
        """
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(Decision.__table__, {"text": "Decision"})  # type: ignore[arg-type]
        text = checker.text("text", data.text, required=True)
        kind, result = data.kind, data.result
        try:
            kind = kind if isinstance(kind, DecisionKind) else DecisionKind.parse(kind)
            result = result if isinstance(result, DecisionResult) else DecisionResult.parse(result)
        except ValueError as exc:
            checker.fail("result", str(exc))
        problem = result_problem(kind, result, data.votes)
        if problem:
            checker.fail("votes", problem)
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                meeting = _meeting(session, meeting_id)
                _refuse_locked(meeting)
                _refuse_not_held(meeting, "decisions are recorded once it has met")
                voters = _entitled_members(self.db, actor, session, meeting)
                item = session.get(AgendaItem, data.agenda_item_id)
                if item is None or item.meeting_id != meeting_id:
                    raise ValidationError(
                        {"agenda_item_id": "Choose the agenda item it was decided at."}
                    )
                if decision_id is None:
                    number = (
                        session.scalar(
                            select(func.max(Decision.number)).where(
                                Decision.meeting_id == meeting_id
                            )
                        )
                        or 0
                    ) + 1
                    row = Decision(
                        meeting_id=meeting_id,
                        number=number,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                    session.add(row)
                else:
                    found = session.get(Decision, decision_id)
                    if found is None or found.meeting_id != meeting_id:
                        raise NotFoundError("This decision is no longer there.")
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("decision")
                    _touch(row, actor)
                _fill_decision(row, data, text, kind, result)
                problem = _decision_problem(session, meeting, voters, row)
                if problem:
                    raise ValidationError({"votes": problem[0].upper() + problem[1:]})
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("decision") from None
        return self._decision(actor, new_id)

    @save
    def delete_decision(self, actor: Actor, decision_id: int, expected_version: int) -> None:
        """Remove a decision recorded in error; the later ones of the meeting move up."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = session.get(Decision, decision_id)
            if row is None:
                raise NotFoundError("This decision is no longer there.")
            meeting = _meeting(session, row.meeting_id)
            _refuse_locked(meeting)
            if row.version != expected_version:
                raise changed_meanwhile("decision")
            if row.approves_meeting_id is not None:
                approved = session.get(Meeting, row.approves_meeting_id)
                which = (
                    meeting_label(approved.title, approved.meets_on) if approved else "a meeting"
                )
                raise ServiceError(
                    f"This decision approved the minutes of {which}; approved minutes stay "
                    "approved, so it stays too."
                )
            number = row.number
            session.delete(row)
            session.flush()
            for later in session.scalars(
                select(Decision)
                .where(Decision.meeting_id == meeting.id, Decision.number > number)
                .order_by(Decision.number)
            ):
                later.number -= 1
                _touch(later, actor)
                session.flush()

    def _decision(self, actor: Actor, decision_id: int) -> DecisionDetail:
        with self.db.read_session() as session:
            row = session.get(Decision, decision_id)
            if row is None:
                raise NotFoundError("This decision is no longer there.")
            meeting = _meeting(session, row.meeting_id)
            voters = _entitled_members(self.db, actor, session, meeting)
            detail = _detail(session, meeting, voters, date.today())
            return next(d for d in detail.decisions if d.id == decision_id)

    # -- the minutes' lifecycle -----------------------------------------------------------

    @save
    def circulate_minutes(
        self, actor: Actor, meeting_id: int, on: date, expected_version: int
    ) -> MeetingDetail:
        """The draft minutes were sent to the body's members on ``on``."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            _refuse_locked(meeting)
            _refuse_not_held(meeting, "its minutes are circulated after it")
            if meeting.version != expected_version:
                raise changed_meanwhile("meeting")
            if on is None or on < meeting.meets_on:
                raise ValidationError(
                    {
                        "circulated_on": f"Minutes are circulated after the meeting "
                        f"({format_date(meeting.meets_on)})."
                    }
                )
            if on > date.today():
                raise ValidationError({"circulated_on": "That date has not come yet."})
            meeting.minutes_status = MinutesStatus.CIRCULATED
            meeting.circulated_on = on
            _touch(meeting, actor)
        return self.get_meeting(actor, meeting_id)

    @save
    def approve_minutes(
        self,
        actor: Actor,
        meeting_id: int,
        at_meeting_id: int,
        agenda_item_id: int,
        votes: Votes | None = None,
    ) -> DecisionDetail:
        """The minutes of ``meeting_id`` approved at a later meeting: recorded there as a
        decision at ``agenda_item_id``; from then on they do not change."""
        actor.require(MANAGE_GOVERNANCE)
        votes = votes or Votes()
        problem = result_problem(DecisionKind.ORDINARY, DecisionResult.CARRIED, votes)
        if problem:
            raise ValidationError({"votes": problem})
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            _refuse_locked(meeting)
            label = meeting_label(meeting.title, meeting.meets_on)
            if meeting.cancelled:
                raise ServiceError(f"{label} was cancelled: it has no minutes to approve.")
            if meeting.meets_on > date.today():
                raise ServiceError(
                    f"{label} has not happened yet: its minutes can be approved at a later "
                    "meeting once it has met."
                )
            at = _meeting(session, at_meeting_id)
            _refuse_locked(at)
            at_label = meeting_label(at.title, at.meets_on)
            if (at.meets_on, at.id) <= (meeting.meets_on, meeting.id) or at.id == meeting.id:
                raise ValidationError(
                    {
                        "at_meeting_id": f"Minutes are approved at a later meeting; {at_label} is "
                        f"not after {label}."
                    }
                )
            _refuse_not_held(at, "the minutes are approved when it meets")
            item = session.get(AgendaItem, agenda_item_id)
            if item is None or item.meeting_id != at.id:
                raise ValidationError({"agenda_item_id": f"Choose an item of {at_label}."})
            number = (
                session.scalar(
                    select(func.max(Decision.number)).where(Decision.meeting_id == at.id)
                )
                or 0
            ) + 1
            decision = Decision(
                meeting_id=at.id,
                number=number,
                approves_meeting_id=meeting.id,
                created_by=actor.name,
                updated_by=actor.name,
            )
            _fill_decision(
                decision,
                DecisionInput(agenda_item_id, "", votes=votes),
                approval_text(meeting.meets_on),
                DecisionKind.ORDINARY,
                DecisionResult.CARRIED,
            )
            session.add(decision)
            voters = _entitled_members(self.db, actor, session, at)
            problem = _decision_problem(session, at, voters, decision)
            if problem:
                raise ValidationError({"votes": problem[0].upper() + problem[1:]})
            meeting.minutes_status = MinutesStatus.APPROVED
            meeting.approved_on = at.meets_on
            meeting.approved_at_meeting_id = at.id
            _touch(meeting, actor)
            session.flush()
            new_id = decision.id
        return self._decision(actor, new_id)

    @save
    def sign_minutes(
        self,
        actor: Actor,
        meeting_id: int,
        signed_by: str,
        signed_on: date,
        expected_version: int,
    ) -> MeetingDetail:
        """The chair signed the approved minutes as a correct record."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(Meeting.__table__, {"signed_by": "Signed by"})  # type: ignore[arg-type]
        name = " ".join(checker.text("signed_by", signed_by, required=True).split())
        if checker.errors:
            raise ValidationError(checker.errors)
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            if meeting.minutes_status == MinutesStatus.SIGNED:
                raise ServiceError(
                    f"These minutes were signed by {meeting.signed_by} on "
                    f"{format_date(meeting.signed_on)}."
                )
            if meeting.minutes_status != MinutesStatus.APPROVED:
                raise ServiceError("Minutes are signed once a later meeting has approved them.")
            if meeting.version != expected_version:
                raise changed_meanwhile("meeting")
            assert meeting.approved_on is not None
            if signed_on is None or signed_on < meeting.approved_on:
                raise ValidationError(
                    {
                        "signed_on": "The chair signs on or after the day the minutes were "
                        f"approved ({format_date(meeting.approved_on)})."
                    }
                )
            if signed_on > date.today():
                raise ValidationError({"signed_on": "That date has not come yet."})
            meeting.minutes_status = MinutesStatus.SIGNED
            meeting.signed_by = name
            meeting.signed_on = signed_on
            meeting.updated_at = utcnow()
            meeting.updated_by = actor.name
        return self.get_meeting(actor, meeting_id)

    @save
    def add_erratum(
        self,
        actor: Actor,
        meeting_id: int,
        agenda_item_id: int | None,
        noted_on: date,
        correction: str,
        reason: str = "",
    ) -> ErratumDetail:
        """A dated correction to approved minutes: the original text stays as approved."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(
            MinutesErratum.__table__,  # type: ignore[arg-type]
            {"correction": "Correction", "reason": "Reason"},
        )
        text = checker.text("correction", correction, required=True)
        why = checker.text("reason", reason)
        if checker.errors:
            raise ValidationError(checker.errors)
        with self.db.session() as session:
            meeting = _meeting(session, meeting_id)
            if not meeting.minutes_status.locked:
                raise ServiceError(
                    "These minutes are not approved yet: correct them in the minutes themselves."
                )
            assert meeting.approved_on is not None
            if noted_on is None or noted_on < meeting.approved_on:
                raise ValidationError(
                    {
                        "noted_on": "An erratum is dated on or after the approval "
                        f"({format_date(meeting.approved_on)})."
                    }
                )
            if noted_on > date.today():
                raise ValidationError({"noted_on": "That date has not come yet."})
            position = None
            if agenda_item_id is not None:
                item = session.get(AgendaItem, agenda_item_id)
                if item is None or item.meeting_id != meeting_id:
                    raise ValidationError({"agenda_item_id": _ITEM_GONE})
                position = item.position
            row = MinutesErratum(
                meeting_id=meeting_id,
                agenda_item_id=agenda_item_id,
                noted_on=noted_on,
                correction=text,
                reason=why,
                created_by=actor.name,
                updated_by=actor.name,
            )
            session.add(row)
            session.flush()
            return ErratumDetail(row.id, agenda_item_id, position, noted_on, text, why)


# -- helpers --------------------------------------------------------------------------------


def _annual_needs_general(kind: object, body: GoverningBody) -> bool:
    return kind == MeetingKind.ANNUAL and body.kind != BodyKind.GENERAL_MEETING


def _title(body: GoverningBody, kind: MeetingKind) -> str:
    if body.kind == BodyKind.GENERAL_MEETING:
        return {
            MeetingKind.ANNUAL: "Annual General Meeting",
            MeetingKind.EXTRAORDINARY: "General meeting",
            MeetingKind.ORDINARY: "General meeting",
        }[kind]
    if kind == MeetingKind.EXTRAORDINARY:
        return f"{body.name}: extraordinary meeting"
    return body.name


def _touch(row: object, actor: Actor) -> None:
    row.updated_at = utcnow()  # type: ignore[attr-defined]
    row.updated_by = actor.name  # type: ignore[attr-defined]


def _meeting(session: Session, meeting_id: int) -> Meeting:
    row = session.scalar(
        select(Meeting).options(joinedload(Meeting.body)).where(Meeting.id == meeting_id)
    )
    if row is None:
        raise NotFoundError(_GONE)
    return row


def _item(session: Session, item_id: int) -> AgendaItem:
    row = session.get(AgendaItem, item_id)
    if row is None:
        raise NotFoundError(_ITEM_GONE)
    return row


def locked_words(meeting: Meeting) -> str:
    return (
        f"These minutes were approved on {format_date(meeting.approved_on)} and cannot be "
        "changed; record an erratum instead."
    )


def _refuse_locked(meeting: Meeting) -> None:
    if meeting.minutes_status.locked:
        raise ServiceError(locked_words(meeting))


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.cancelled:
        raise ServiceError(
            f"{meeting_label(meeting.title, meeting.meets_on)} was cancelled: nobody attended."
        )


def _refuse_not_held(meeting: Meeting, what: str) -> None:
    label = meeting_label(meeting.title, meeting.meets_on)
    _refuse_cancelled(meeting)
    if meeting.meets_on > date.today():
        raise ServiceError(f"{label} has not happened yet: {what}.")


def _has_records(session: Session, meeting_id: int) -> bool:
    decisions = session.scalar(
        select(func.count(Decision.id)).where(Decision.meeting_id == meeting_id)
    )
    actions = session.scalar(
        select(func.count(GovernanceAction.id)).where(
            or_(
                GovernanceAction.meeting_id == meeting_id,
                GovernanceAction.closed_at_meeting_id == meeting_id,
            )
        )
    )
    return bool(decisions or actions)


def _refuse_item_in_use(session: Session, item: AgendaItem) -> None:
    uses = {
        "decision": session.scalar(
            select(func.count(Decision.id)).where(Decision.agenda_item_id == item.id)
        ),
        "action": session.scalar(
            select(func.count(GovernanceAction.id)).where(
                GovernanceAction.agenda_item_id == item.id
            )
        ),
        "paper": session.scalar(
            select(func.count(AgendaPaper.id)).where(AgendaPaper.agenda_item_id == item.id)
        ),
    }
    held = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in uses.items() if n]
    if held:
        raise ValidationError(
            {
                "items": f"Item {item.position} ({item.title}) has {' and '.join(held)}: move or "
                "remove them before removing the item."
            }
        )


def _refuse_moved_presence(session: Session, meeting: Meeting) -> None:
    """A reordered or shortened agenda must still hold the items people arrived or left at."""
    count = session.scalar(
        select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting.id)
    )
    for row in session.scalars(
        select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
    ):
        for value in (row.arrived_at_item, row.left_at_item):
            if value is not None and value > (count or 0):
                raise ValidationError(
                    {
                        "items": f"The attendance says someone arrived or left at item {value}, "
                        f"which this agenda no longer has. Change the attendance first."
                    }
                )


def _no_vote_words(capacity: Capacity) -> str:
    return {
        Capacity.OBSERVER: "an observer: attends without a vote",
        Capacity.STAFF: "staff: attends without a vote",
        Capacity.CLERK: "the clerk: attends without a vote",
    }.get(capacity, "")


def _entitled_members(
    database: Database, actor: Actor, session: Session, meeting: Meeting
) -> set[int]:
    """Who may vote at the meeting: member ids (general meeting) or person ids (otherwise)."""
    if meeting.body.voters == Voters.MEMBER_SCHOOLS:
        from thep_desktop.services.memberships.members_service import MembersService

        return {v.member_id for v in MembersService(database).voters_on(actor, meeting.meets_on)}
    return {
        person_id
        for person_id, capacity, starts_on, ends_on in session.execute(
            select(
                Appointment.person_id,
                Appointment.capacity,
                Appointment.starts_on,
                Appointment.ends_on,
            ).where(Appointment.body_id == meeting.body_id)
        )
        if capacity.votes and in_office(starts_on, ends_on, meeting.meets_on)
    }


def _votes_of(meeting: Meeting, voters: set[int], row: MeetingAttendance) -> tuple[bool, str]:
    """Whether an attendance line may vote, and the words when not."""
    day = format_date(meeting.meets_on)
    if meeting.body.voters == Voters.MEMBER_SCHOOLS:
        if row.member_id is None:
            return False, "votes at a general meeting belong to member schools"
        if row.member_id not in voters:
            return False, f"not a full member entitled to vote on {day}"
        return True, ""
    if row.person_id is None:
        return False, "a guest: attends without a vote"
    if row.person_id not in voters:
        return False, f"not a voting member of {meeting.body.name} on {day}"
    return True, ""


def _presences(
    meeting: Meeting, voters: set[int], rows: Sequence[MeetingAttendance]
) -> list[Presence]:
    out = []
    for row in rows:
        votes, _ = _votes_of(meeting, voters, row)
        out.append(
            Presence(
                row.id,
                row.status,
                votes and row.status == Attendance.PRESENT,
                row.arrived_at_item,
                row.left_at_item,
            )
        )
    return out


def _attendance_rows(session: Session, meeting_id: int) -> list[MeetingAttendance]:
    return list(
        session.scalars(
            select(MeetingAttendance)
            .where(MeetingAttendance.meeting_id == meeting_id)
            .order_by(MeetingAttendance.id)
        )
    )


def _quorum(session: Session, meeting: Meeting, voters: set[int], position: int) -> QuorumAt:
    return quorum_at(
        quorum_of(meeting.body),
        len(voters),
        _presences(meeting, voters, _attendance_rows(session, meeting.id)),
        position,
    )


def _decision_problem(
    session: Session, meeting: Meeting, voters: set[int], decision: Decision
) -> str | None:
    """Words when a decision cannot stand: not quorate at its item, or more votes than
    voters there."""
    session.flush()
    item = session.get(AgendaItem, decision.agenda_item_id)
    if item is None:
        return _ITEM_GONE
    quorum = _quorum(session, meeting, voters, item.position)
    if not quorum.quorate:
        return (
            f"the meeting was not quorate at item {item.position}: {quorum.present} present "
            f"who count, {quorum.needed} needed. A meeting without a quorum cannot decide."
        )
    votes = Votes(decision.votes_for, decision.votes_against, decision.votes_abstaining)
    if votes.total > quorum.voting:
        who = (
            "member schools present and entitled to vote"
            if meeting.body.voters == Voters.MEMBER_SCHOOLS
            else "voting members present"
        )
        return (
            f"{votes.total} votes ({votes.label}) are more than the {quorum.voting} {who} at "
            f"item {item.position}."
        )
    return None


def _fill_decision(
    row: Decision,
    data: DecisionInput,
    text: str,
    kind: DecisionKind,
    result: DecisionResult,
) -> None:
    row.agenda_item_id = data.agenda_item_id
    row.text = text
    row.kind = kind
    row.result = result
    row.votes_for = data.votes.for_
    row.votes_against = data.votes.against
    row.votes_abstaining = data.votes.abstaining


def _suffix(session: Session, meeting: Meeting) -> str:
    """ "" for the body's first meeting of the month, then "b", "c"… (B/2025/07b/1)."""
    first = date(meeting.meets_on.year, meeting.meets_on.month, 1)
    same_month = [
        (meets_on, meeting_id)
        for meeting_id, meets_on in session.execute(
            select(Meeting.id, Meeting.meets_on).where(
                Meeting.body_id == meeting.body_id,
                Meeting.meets_on >= first,
                Meeting.meets_on < _next_month(first),
            )
        )
    ]
    place = sorted(same_month).index((meeting.meets_on, meeting.id))
    return "" if place == 0 else chr(ord("a") + place)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _reference(session: Session, meeting: Meeting, number: int) -> str:
    return decision_reference(
        meeting.body.code, meeting.meets_on, number, _suffix(session, meeting)
    )


def _checked_attendance(
    session: Session, lines: Sequence[AttendanceInput], positions: list[int]
) -> list[dict[str, object]]:
    checker = FieldChecker(
        MeetingAttendance.__table__,  # type: ignore[arg-type]
        {"name": "Name", "role": "Role", "proxy_name": "Proxy"},
    )
    people = set(session.scalars(select(GovernancePerson.id)))
    members = set(session.scalars(select(Member.id)))
    seen_people: set[int] = set()
    seen_members: set[int] = set()
    out: list[dict[str, object]] = []
    for number, line in enumerate(lines, start=1):
        field = f"line_{number}"
        name = checker.text(field, line.name, column="name")
        role = checker.text(field, line.role, column="role")
        proxy = checker.text(field, line.proxy_name, column="proxy_name")
        if line.person_id is None and line.member_id is None and not name:
            checker.fail(field, f"Line {number}: give the name of whoever attended.")
        if line.person_id is not None:
            if line.person_id not in people:
                checker.fail(field, f"Line {number}: this person is no longer in the records.")
            if line.person_id in seen_people:
                checker.fail(field, f"Line {number}: this person is listed twice.")
            seen_people.add(line.person_id)
        if line.member_id is not None:
            if line.member_id not in members:
                checker.fail(field, f"Line {number}: this member is no longer in the register.")
            if line.member_id in seen_members:
                checker.fail(field, f"Line {number}: this member school is listed twice.")
            seen_members.add(line.member_id)
        try:
            status = (
                line.status
                if isinstance(line.status, Attendance)
                else Attendance.parse(line.status)
            )
        except ValueError as exc:
            checker.fail(field, str(exc))
            continue
        if line.by_proxy:
            if line.member_id is None:
                checker.fail(field, f"Line {number}: only a member school votes by proxy.")
            if not proxy:
                checker.fail(
                    field, f"Line {number}: name the proxy (e.g. the chair of the meeting)."
                )
            if status != Attendance.PRESENT:
                checker.fail(field, f"Line {number}: a school represented by proxy is present.")
        problem = presence_problems(
            Presence(number, status, False, line.arrived_at_item, line.left_at_item), positions
        )
        if problem:
            checker.fail(field, f"Line {number}: {problem}")
        out.append(
            {
                "person_id": line.person_id,
                "member_id": line.member_id,
                "name": name,
                "role": role,
                "status": status,
                "by_proxy": bool(line.by_proxy),
                "proxy_name": proxy if line.by_proxy else "",
                "arrived_at_item": line.arrived_at_item,
                "left_at_item": line.left_at_item,
            }
        )
    if checker.errors:
        raise ValidationError(checker.errors)
    return out


def _items(session: Session, rows: list[AgendaItem]) -> list[AgendaItemDetail]:
    papers: dict[int, list[PaperDetail]] = defaultdict(list)
    for paper_id, version, item_id, file_name, size in session.execute(
        select(
            AgendaPaper.id,
            AgendaPaper.version,
            AgendaPaper.agenda_item_id,
            AgendaPaper.file_name,
            AgendaPaper.size,
        )
        .where(AgendaPaper.agenda_item_id.in_([r.id for r in rows] or [0]))
        .order_by(AgendaPaper.id)
    ):
        papers[item_id].append(PaperDetail(paper_id, version, file_name, size))
    return [
        AgendaItemDetail(
            r.id, r.version, r.position, r.title, r.presenter, r.minutes, tuple(papers[r.id])
        )
        for r in rows
    ]


def _detail(session: Session, meeting: Meeting, voters: set[int], today: date) -> MeetingDetail:
    body = meeting.body
    items = list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )
    item_details = _items(session, items)
    positions = {item.id: item.position for item in items}
    titles = {item.id: item.title for item in items}
    rows = _attendance_rows(session, meeting.id)
    people = {
        p.id: p
        for p in session.scalars(
            select(GovernancePerson).where(
                GovernancePerson.id.in_(
                    {r.person_id for r in rows if r.person_id}
                    | ({meeting.chair_person_id} if meeting.chair_person_id else set())
                    or {0}
                )
            )
        )
    }
    members = member_names(session, (r.member_id for r in rows))
    capacities = {
        a.person_id: a.capacity for a in members_on(session, meeting.body_id, meeting.meets_on)
    }
    attendance = []
    for row in rows:
        votes, why = _votes_of(meeting, voters, row)
        if row.person_id is not None and row.person_id in people:
            label = person_name(people[row.person_id])
            if not votes and row.person_id in capacities:
                why = _no_vote_words(capacities[row.person_id]) or why
        elif row.member_id is not None:
            label = members.get(row.member_id, "")
        else:
            label = row.name
        attendance.append(
            AttendanceDetail(
                row.id,
                row.status,
                row.person_id,
                row.member_id,
                row.name,
                row.role,
                row.by_proxy,
                row.proxy_name,
                row.arrived_at_item,
                row.left_at_item,
                label,
                votes,
                why,
            )
        )
    presences = _presences(meeting, voters, rows)
    rule = quorum_of(body)
    quorum = tuple(quorum_at(rule, len(voters), presences, item.position) for item in items)
    by_position = {q.item: q for q in quorum}
    suffix = _suffix(session, meeting)
    decisions = tuple(
        DecisionDetail(
            id=d.id,
            version=d.version,
            meeting_id=meeting.id,
            number=d.number,
            reference=decision_reference(body.code, meeting.meets_on, d.number, suffix),
            agenda_item_id=d.agenda_item_id,
            item_position=positions[d.agenda_item_id],
            item_title=titles[d.agenda_item_id],
            text=d.text,
            kind=d.kind,
            result=d.result,
            votes=Votes(d.votes_for, d.votes_against, d.votes_abstaining),
            approves_meeting_id=d.approves_meeting_id,
            quorum=by_position[positions[d.agenda_item_id]],
            meeting_title=meeting.title,
            meets_on=meeting.meets_on,
        )
        for d in session.scalars(
            select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.number)
        )
    )
    declarations = tuple(
        DeclarationDetail(
            d.id, d.name, d.interest, d.agenda_item_id, positions.get(d.agenda_item_id or 0)
        )
        for d in session.scalars(
            select(InterestDeclaration)
            .where(InterestDeclaration.meeting_id == meeting.id)
            .order_by(InterestDeclaration.id)
        )
    )
    errata = tuple(
        ErratumDetail(
            e.id,
            e.agenda_item_id,
            positions.get(e.agenda_item_id or 0),
            e.noted_on,
            e.correction,
            e.reason,
        )
        for e in session.scalars(
            select(MinutesErratum)
            .where(MinutesErratum.meeting_id == meeting.id)
            .order_by(MinutesErratum.noted_on, MinutesErratum.id)
        )
    )
    actions = tuple(
        action_details(
            session,
            list(
                session.scalars(
                    select(GovernanceAction)
                    .where(GovernanceAction.meeting_id == meeting.id)
                    .order_by(GovernanceAction.id)
                )
            ),
        )
    )
    arising = tuple(action_details(session, arising_actions(session, meeting)))
    approved_at = ""
    if meeting.approved_at_meeting_id is not None:
        at = session.get(Meeting, meeting.approved_at_meeting_id)
        if at is not None:
            approved_at = meeting_label(at.title, at.meets_on)
    chair = people.get(meeting.chair_person_id or 0)
    voting_members = len(voters)
    meetings_of_body = session.scalar(
        select(func.count(Meeting.id)).where(Meeting.body_id == body.id)
    )
    return MeetingDetail(
        id=meeting.id,
        version=meeting.version,
        body=body_detail(body, voting_members, meetings_of_body or 0),
        kind=meeting.kind,
        title=meeting.title,
        meets_on=meeting.meets_on,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        online_link=meeting.online_link,
        notice_sent_on=meeting.notice_sent_on,
        notice=check_notice(meeting.notice_sent_on, meeting.meets_on, body.notice_clear_days),
        cancelled=meeting.cancelled,
        chair_person_id=meeting.chair_person_id,
        chair_name=person_name(chair) if chair else "",
        minutes_status=meeting.minutes_status,
        circulated_on=meeting.circulated_on,
        approved_on=meeting.approved_on,
        approved_at_meeting_id=meeting.approved_at_meeting_id,
        approved_at_label=approved_at,
        signed_by=meeting.signed_by,
        signed_on=meeting.signed_on,
        notes=meeting.notes,
        items=tuple(item_details),
        attendance=tuple(attendance),
        declarations=declarations,
        decisions=decisions,
        actions=actions,
        matters_arising=arising,
        errata=errata,
        entitled=voting_members,
        quorum=quorum,
        today=today,
    )
