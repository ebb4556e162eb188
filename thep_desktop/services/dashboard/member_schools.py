"""What the inspection and peer-review figures share: the member schools on a day, in SQL.

A school is a member on a day by the members service's own rule, in SQL
(``services/memberships/member_standing.standing_on``): the period it applied for most
recently by then, admitted and not yet ended (a member under notice still counts). The
membership tiles count members by the same rule, so the areas agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select

from thep_desktop.models import Member
from thep_desktop.services.memberships.member_standing import standing_on


def member_school_ids(day: date) -> Select[Any]:
    """A subquery's select of the ids of the schools that are members on ``day``."""
    standing = standing_on([("on", day)])
    return (
        select(Member.school_id)
        .join(standing, standing.c.member_id == Member.id)
        .where(Member.school_id.is_not(None))
    )


def link_officer_name(name: str | None) -> str:
    return name or "No link officer"
