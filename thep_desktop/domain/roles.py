"""The office's roles: what each person using the program is there to do."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    TREASURER = "treasurer"
    CLERK = "clerk"
    VIEWER = "viewer"

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    Role.ADMIN: "Administrator: everything, including people, roles, settings and restores",
    Role.STAFF: "Office staff: schools, memberships, peer reviews and letters",
    Role.TREASURER: "Treasurer: invoices and payments, and letters",
    Role.CLERK: "Clerk: meetings, minutes and registers, and letters",
    Role.VIEWER: "Viewer: looks at everything, changes nothing",
}
