"""Permissions, declared by each area: what a role may do, and which tables that writes.

Each area (schools, letters, settings, users, backups; memberships, invoices, peer reviews
and governance when they arrive) declares an :class:`Area` in its own ``*_permissions.py``:
its permissions, the roles that hold each, and the tables each permission writes. The
services check ``actor.require(permission)``; on a PostgreSQL server the same declarations
become the group roles' grants (services/users/server_roles.py), so the server refuses what
the program would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from thep_desktop.domain.roles import Role


@dataclass(frozen=True)
class Permission:
    """One thing a person may be allowed to do, in words that finish "not allowed to …"."""

    code: str
    words: str
    roles: frozenset[Role]

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Area:
    """An area's permissions and the tables each one writes (INSERT, UPDATE, DELETE)."""

    name: str
    permissions: tuple[Permission, ...]
    writes: dict[str, Permission] = field(default_factory=dict)


def permission(code: str, words: str, roles: Iterable[Role]) -> Permission:
    """A permission; administrators hold every one."""
    return Permission(code, words, frozenset({Role.ADMIN, *roles}))


# Looking at the records is every role's.
VIEW = permission("view", "look at the records", Role)
