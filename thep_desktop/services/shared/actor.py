"""Who is acting: every service call names its user, for permissions and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from thep_desktop.computer_login import computer_login
from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.errors import PermissionDeniedError
from thep_desktop.services.shared.permissions import Permission

__all__ = ["Actor", "Permission", "Role", "local_actor"]


@dataclass(frozen=True)
class Actor:
    """The person the services act for, and their role.

    ``on_refused`` hears every permission refused to them: the services built over a
    database (services/registry.py) write it to the audit trail.
    """

    name: str
    role: Role = Role.ADMIN
    on_refused: Callable[[Actor, Permission], None] | None = field(
        default=None, compare=False, repr=False
    )

    def can(self, permission: Permission) -> bool:
        return self.role in permission.roles

    def require(self, permission: Permission) -> None:
        if self.can(permission):
            return
        if self.on_refused is not None:
            self.on_refused(self, permission)
        raise PermissionDeniedError(
            f"{self.name} ({self.role.value}) is not allowed to {permission.words}."
        )

    def reporting_to(self, on_refused: Callable[[Actor, Permission], None]) -> Actor:
        return replace(self, on_refused=on_refused)


def local_actor(role: Role = Role.ADMIN) -> Actor:
    """The person logged in to this computer (from the operating system, not USER)."""
    return Actor(name=computer_login(), role=role)
