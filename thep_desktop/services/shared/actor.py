"""Who is acting: every service call names its user, for permissions and, later, the audit trail."""

from __future__ import annotations

import enum
import getpass
from dataclasses import dataclass

from thep_desktop.services.shared.errors import PermissionDeniedError


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    TREASURER = "treasurer"
    CLERK = "clerk"
    VIEWER = "viewer"


class Permission(enum.StrEnum):
    VIEW = "view"
    EDIT_SCHOOLS = "edit_schools"
    EDIT_SETTINGS = "edit_settings"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.STAFF: frozenset({Permission.VIEW, Permission.EDIT_SCHOOLS}),
    Role.TREASURER: frozenset({Permission.VIEW, Permission.EDIT_SCHOOLS}),
    Role.CLERK: frozenset({Permission.VIEW, Permission.EDIT_SCHOOLS}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}

_DESCRIPTIONS = {
    Permission.VIEW: "look at the records",
    Permission.EDIT_SCHOOLS: "change the schools register",
    Permission.EDIT_SETTINGS: "change the organisation's settings",
}


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role = Role.ADMIN

    def can(self, permission: Permission) -> bool:
        return permission in _GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDeniedError(
                f"{self.name} ({self.role.value}) is not allowed to {_DESCRIPTIONS[permission]}."
            )


def local_actor(role: Role = Role.ADMIN) -> Actor:
    """The person logged in to this computer: the acting user of a single-user install."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        name = "office"
    return Actor(name=name, role=role)
