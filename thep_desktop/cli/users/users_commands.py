"""``thep-admin users list|add|set-role|disable|enable``: the people who use the database."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    text_value,
    write_json,
    write_table,
)
from thep_desktop.domain.roles import Role
from thep_desktop.services.registry import Services
from thep_desktop.services.users.users_service import UserDetail

ROLE_HELP = ", ".join(r.value for r in Role)
USER_KEYS = ("login", "full_name", "role", "active", "note", "created_at", "created_by")


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    users = commands.add_parser(
        "users",
        help="the people who may use the database, and their roles",
        description="The people who may use the database, each with one role "
        f"({ROLE_HELP}). Adding, changing and disabling are an administrator's. On a "
        "PostgreSQL server each person is a login of the server, which checks the password "
        "and enforces the role; on a local file the person is the computer's login.",
    )
    actions = users.add_subparsers(dest="users_command", metavar="COMMAND", required=True)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list the people and their roles",
        description="List every person who may use the database: login, name, role, whether "
        "they may log in, and who added them when.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=list_users, database="existing")

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add a person with a role",
        description="Add a person. On a server this also makes their login there: the "
        "password is asked twice at a terminal, or read from the first line of standard "
        "input with --password-stdin (for scripts).",
    )
    add.add_argument("login", metavar="LOGIN", help="their login, e.g. jo.bloggs")
    add.add_argument(
        "--role", required=True, metavar="ROLE", help=f"their role: one of {ROLE_HELP}"
    )
    add.add_argument("--name", default="", metavar="NAME", help="their full name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking (a server only)",
    )
    add.set_defaults(run=add_user, database="existing")

    set_role = actions.add_parser(
        "set-role",
        parents=[common],
        help="change a person's role",
        description="Change a person's role. The last active administrator keeps theirs.",
    )
    set_role.add_argument("login", metavar="LOGIN")
    set_role.add_argument("role", metavar="ROLE", help=f"one of {ROLE_HELP}")
    set_role.set_defaults(run=set_user_role, database="existing")

    for name, active, words in (
        ("disable", False, "stop a person opening the database (their history stays)"),
        ("enable", True, "let a disabled person open the database again"),
    ):
        command = actions.add_parser(name, parents=[common], help=words, description=words + ".")
        command.add_argument("login", metavar="LOGIN")
        command.set_defaults(run=set_user_active, active=active, database="existing")


def user_json(user: UserDetail) -> dict[str, Any]:
    return {key: getattr(user, key) for key in USER_KEYS}


def list_users(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    users = services.users.list_users(services.actor)
    if args.json:
        write_json({"users": [user_json(u) for u in users], "count": len(users)}, out)
        return 0
    write_table(
        [
            Column("Login"),
            Column("Name"),
            Column("Role"),
            Column("Active"),
            Column("Added on"),
            Column("Added by"),
        ],
        (
            [
                u.login,
                u.full_name,
                u.role.value,
                text_value(u.active),
                text_value(u.created_at),
                u.created_by,
            ]
            for u in users
        ),
        out,
    )
    out.write(f"\n{len(users):,} {'person' if len(users) == 1 else 'people'}\n")
    return 0


def _password(services: Services, args: argparse.Namespace) -> str | None:
    """The new login's password: from standard input, or typed twice at a terminal."""
    if not services.users.on_server:
        if args.password_stdin:
            raise CommandError(
                "A local database file has no passwords (the person is the computer's login); "
                "leave out --password-stdin. Nothing was changed."
            )
        return None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("Standard input held no password. Nothing was changed.")
        return password
    if not sys.stdin.isatty():
        raise CommandError(
            f"{args.login} needs a password on the server, and this is not a terminal to type "
            "it at: give it on standard input with --password-stdin. Nothing was changed."
        )
    first = getpass.getpass(f"Password for {args.login}: ", stream=sys.stderr)
    if not first:
        raise CommandError("The password cannot be empty. Nothing was changed.")
    second = getpass.getpass("The same password again: ", stream=sys.stderr)
    if first != second:
        raise CommandError("The two passwords typed are not the same. Nothing was changed.")
    return first


def add_user(services: Services, args: argparse.Namespace) -> int:
    password = _password(services, args)
    user = services.users.add_user(
        services.actor, args.login, args.role, full_name=args.name, password=password
    )
    where = " (with a login on the server)" if services.users.on_server else ""
    print(f"Added {user.login}{where} as {user.role.value}: {user.role.words}.")
    return 0


def set_user_role(services: Services, args: argparse.Namespace) -> int:
    before = services.users.get_user(services.actor, args.login)
    user = services.users.set_role(services.actor, args.login, args.role)
    if before.role == user.role:
        print(f"{user.login} is already {user.role.value}; nothing was changed.")
    else:
        print(f"{user.login} is now {user.role.value} (was {before.role.value}).")
    return 0


def set_user_active(services: Services, args: argparse.Namespace) -> int:
    before = services.users.get_user(services.actor, args.login)
    user = services.users.set_active(services.actor, args.login, args.active)
    state = "enabled" if user.active else "disabled"
    if before.active == user.active:
        print(f"{user.login} is already {state}; nothing was changed.")
    elif user.active:
        print(f"{user.login} is enabled: they can open the database again.")
    else:
        print(f"{user.login} is disabled: they can no longer open the database.")
    return 0
