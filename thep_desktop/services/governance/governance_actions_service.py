"""Actions agreed at meetings: the tracker across meetings, and matters arising."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import ActionStatus
from thep_desktop.models import AgendaItem, GovernanceAction, GovernancePerson, Meeting
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionFilter,
    ActionInput,
    meeting_label,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governance_records import action_details, arising_actions
from thep_desktop.services.governance.meetings_service import locked_words
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

ACTION_LABELS = {
    "text": "Action",
    "owner_name": "Owner",
    "due_on": "Due",
    "progress": "Progress",
}
_GONE = "This action is no longer there: someone else may have deleted it."


class GovernanceActionsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_actions(self, actor: Actor, filters: ActionFilter | None = None) -> list[ActionDetail]:
        """Actions across meetings: the soonest due first, those with no date last."""
        actor.require(VIEW)
        filters = filters or ActionFilter()
        with self.db.read_session() as session:
            query = select(GovernanceAction).order_by(
                GovernanceAction.due_on.is_(None),
                GovernanceAction.due_on,
                GovernanceAction.id,
            )
            if filters.body_id is not None:
                query = query.where(GovernanceAction.body_id == filters.body_id)
            if filters.open_only or filters.overdue_on is not None:
                query = query.where(GovernanceAction.closed_on.is_(None))
            if filters.overdue_on is not None:
                query = query.where(GovernanceAction.due_on < filters.overdue_on)
            words = " ".join(filters.search.split()).casefold()
            if words:
                query = query.where(
                    or_(
                        func.lower(GovernanceAction.text).like(f"%{words}%"),
                        func.lower(GovernanceAction.progress).like(f"%{words}%"),
                    )
                )
            details = action_details(session, list(session.scalars(query)))
        owner = " ".join(filters.owner.split()).casefold()
        if owner:
            details = [a for a in details if owner in a.owner_label.casefold()]
        return details

    def get_action(self, actor: Actor, action_id: int) -> ActionDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(GovernanceAction, action_id)
            if row is None:
                raise NotFoundError(_GONE)
            return action_details(session, [row])[0]

    def matters_arising(self, actor: Actor, meeting_id: int) -> list[ActionDetail]:
        """The body's actions from earlier meetings still open on this meeting's day."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None:
                raise NotFoundError("This meeting is no longer there.")
            return action_details(session, arising_actions(session, meeting))

    @save
    def save_action(
        self,
        actor: Actor,
        data: ActionInput,
        action_id: int | None = None,
        expected_version: int | None = None,
    ) -> ActionDetail:
        """An action agreed at a meeting, or a change to one loaded at ``expected_version``."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(GovernanceAction.__table__, ACTION_LABELS)  # type: ignore[arg-type]
        text = checker.text("text", data.text, required=True)
        owner_name = " ".join(checker.text("owner_name", data.owner_name).split())
        if data.owner_person_id is None and not owner_name:
            checker.fail("owner_name", "Say who will do it: a person of the body or a name.")
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                meeting = session.get(Meeting, data.meeting_id)
                if meeting is None:
                    raise ValidationError({"meeting_id": "Choose the meeting that agreed it."})
                if data.due_on is not None and data.due_on < meeting.meets_on:
                    raise ValidationError(
                        {
                            "due_on": "An action falls due after the meeting that agreed it "
                            f"({format_date(meeting.meets_on)})."
                        }
                    )
                if data.owner_person_id is not None and (
                    session.get(GovernancePerson, data.owner_person_id) is None
                ):
                    raise ValidationError({"owner_name": "This person is no longer there."})
                if data.agenda_item_id is not None:
                    item = session.get(AgendaItem, data.agenda_item_id)
                    if item is None or item.meeting_id != meeting.id:
                        raise ValidationError({"agenda_item_id": "Choose an item of that meeting."})
                if action_id is None:
                    if meeting.minutes_status.locked:
                        raise ServiceError(locked_words(meeting))
                    row = GovernanceAction(
                        body_id=meeting.body_id,
                        status=ActionStatus.OPEN,
                        created_by=actor.name,
                        updated_by=actor.name,
                    )
                    session.add(row)
                else:
                    found = session.get(GovernanceAction, action_id)
                    if found is None:
                        raise NotFoundError(_GONE)
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("action")
                    if row.meeting_id != meeting.id:
                        raise ValidationError(
                            {"meeting_id": "An action stays with the meeting that agreed it."}
                        )
                    if meeting.minutes_status.locked:
                        raise ServiceError(
                            "This action is in the minutes approved on "
                            f"{format_date(meeting.approved_on)}, so what it says cannot be "
                            "changed; record its progress with Change status."
                        )
                    row.updated_by = actor.name
                row.meeting_id = meeting.id
                row.body_id = meeting.body_id
                row.agenda_item_id = data.agenda_item_id
                row.text = text
                row.owner_person_id = data.owner_person_id
                row.owner_name = owner_name
                row.due_on = data.due_on
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("action") from None
        return self.get_action(actor, new_id)

    @save
    def set_action_status(
        self,
        actor: Actor,
        action_id: int,
        status: ActionStatus,
        on: date,
        progress: str,
        expected_version: int,
        at_meeting_id: int | None = None,
    ) -> ActionDetail:
        """Move an action on: in progress with a note, or closed (done or dropped) on ``on``,
        perhaps at a later meeting of the body where it came up as a matter arising."""
        actor.require(MANAGE_GOVERNANCE)
        checker = FieldChecker(GovernanceAction.__table__, ACTION_LABELS)  # type: ignore[arg-type]
        note = checker.text("progress", progress)
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                row = session.get(GovernanceAction, action_id)
                if row is None:
                    raise NotFoundError(_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("action")
                raised = session.get(Meeting, row.meeting_id)
                assert raised is not None
                if on is None:
                    raise ValidationError({"closed_on": "Give the date."})
                if on < raised.meets_on:
                    raise ValidationError(
                        {
                            "closed_on": "The date is on or after the meeting that agreed it "
                            f"({format_date(raised.meets_on)})."
                        }
                    )
                if on > date.today():
                    raise ValidationError({"closed_on": "That date has not come yet."})
                at = None
                if at_meeting_id is not None:
                    at = session.get(Meeting, at_meeting_id)
                    if at is None or at.body_id != row.body_id:
                        raise ValidationError(
                            {"at_meeting_id": "Choose a meeting of the same body."}
                        )
                    if at.meets_on < raised.meets_on:
                        raise ValidationError(
                            {
                                "at_meeting_id": f"{meeting_label(at.title, at.meets_on)} was "
                                "before the action was agreed."
                            }
                        )
                row.status = status
                row.progress = note
                if status.is_open:
                    row.closed_on = None
                    row.closed_at_meeting_id = None
                else:
                    row.closed_on = on
                    row.closed_at_meeting_id = at.id if at else None
                row.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise changed_meanwhile("action") from None
        return self.get_action(actor, action_id)

    @save
    def delete_action(self, actor: Actor, action_id: int, expected_version: int) -> None:
        """Remove an action recorded in error, while its meeting's minutes are not approved."""
        actor.require(MANAGE_GOVERNANCE)
        with self.db.session() as session:
            row = session.get(GovernanceAction, action_id)
            if row is None:
                raise NotFoundError(_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("action")
            meeting = session.get(Meeting, row.meeting_id)
            if meeting is not None and meeting.minutes_status.locked:
                raise ServiceError(
                    "This action is in approved minutes, so it stays; mark it dropped instead."
                )
            session.delete(row)
