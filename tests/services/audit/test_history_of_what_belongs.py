"""A record's History shows every change to the rows that belong to it, not only their creation."""

from __future__ import annotations

from datetime import date

from thep_desktop.database import Database
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor


def test_a_members_history_holds_its_periods_admission_and_notice(
    db: Database, actor: Actor
) -> None:
    s = Services(db, actor)
    member = s.members.apply(
        actor,
        MemberInput("individual", name="Dr Ruth Okafor", address="12 Roman Road\nLondon"),
        ApplicationInput("associate", date(2025, 9, 1)),
    )
    period = member.latest
    admitted = s.members.admit(actor, period.id, period.version, date(2025, 9, 20)).latest
    s.members.record_notice(actor, admitted.id, admitted.version, date(2026, 1, 5))
    entries = s.audit.history(actor, member.uuid)
    periods = [e for e in entries if e.table_name == "membership_period"]
    assert [e.action for e in periods] == ["update", "update", "create"]  # newest first
    changed = {c.label for e in periods[:2] for c in e.changes}
    assert {"Admitted on", "Notice received on", "Ends on"} <= changed
    # Another member's periods stay out of it.
    other = s.members.apply(
        actor,
        MemberInput("individual", name="Sam Lee", address="1 Bow Road\nLondon"),
        ApplicationInput("associate", date(2025, 9, 1)),
    )
    s.members.admit(actor, other.latest.id, other.latest.version, date(2025, 9, 20))
    assert len(s.audit.history(actor, member.uuid)) == len(entries)
