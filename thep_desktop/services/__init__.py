"""Services: plain Python that the GUI and ``thep-admin`` both call. No Qt here."""

from thep_desktop.services.shared.actor import Actor, Permission, Role, local_actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

__all__ = [
    "Actor",
    "ConflictError",
    "NotFoundError",
    "Permission",
    "PermissionDeniedError",
    "Role",
    "ServiceError",
    "ValidationError",
    "local_actor",
]
