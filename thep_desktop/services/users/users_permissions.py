"""What the users area lets each role do: people, roles and the audit screen are the admin's."""

from thep_desktop.services.shared.permissions import Area, permission

MANAGE_USERS = permission("manage_users", "add people, change their roles or disable them", [])
VIEW_AUDIT = permission("view_audit", "search the whole audit trail", [])

USERS_AREA = Area("users", (MANAGE_USERS, VIEW_AUDIT), writes={"app_user": MANAGE_USERS})
