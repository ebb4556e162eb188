"""The commands of ``thep-admin``: the parser, opening the database, and the database commands.

:mod:`thep_desktop.cli.admin` imports this only once it is running, so that Ctrl+C while
the program is still loading exits as quietly as Ctrl+C during a command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from thep_desktop import config
from thep_desktop.cli.annual_report import report_commands
from thep_desktop.cli.audit import audit_commands
from thep_desktop.cli.backups import backup_commands
from thep_desktop.cli.dashboard import dashboard_commands
from thep_desktop.cli.governance import governance_commands
from thep_desktop.cli.import_export import data_commands
from thep_desktop.cli.invoices import invoices_commands
from thep_desktop.cli.letters import letters_commands
from thep_desktop.cli.memberships import fees_commands, members_commands
from thep_desktop.cli.offline import offline_commands
from thep_desktop.cli.peer_reviews import reviews_commands
from thep_desktop.cli.schools import schools_commands
from thep_desktop.cli.shared.jobs import ProgressLine, WaitLine, ctrl_c_cancels
from thep_desktop.cli.shared.output import CommandError, plural
from thep_desktop.cli.users import users_commands
from thep_desktop.connections import with_stored_password
from thep_desktop.database import (
    DatabaseError,
    NoDatabaseYet,
    driver_message,
    shown_address,
    sqlite_file_of,
)
from thep_desktop.domain.dates import TWO_DIGIT_YEARS
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.installation import check_installation
from thep_desktop.network_drives import network_warning
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.errors import ServerUnavailableError

PROG = "thep-admin"
EPILOG = f"""\
examples:
  thep-admin --db office.sqlite3 init          create a database (or bring it up to date)
  thep-admin --db office.sqlite3 demo          load the demo borough into the new database
  thep-admin schools list --status open --phase primary
  thep-admin schools show 100981 --json
  thep-admin members list --status member --category full
  thep-admin members admit 100981 --on 15/01/2026 --decision "Board, 12/01/2026"
  thep-admin members notice 100981 --received 2026-03-31
  thep-admin members voters --on 09/07/2026
  thep-admin fees schedule --year 2027/28 --rate-per-pupil 5.00 --associate-fee 250.00
  thep-admin fees quote --year 2025/26 --json
  thep-admin invoices fee-run --year 2026/27 --issue
                                               the year's fees as invoices, issued at once
  thep-admin invoices list --status "part paid" --overdue
  thep-admin invoices pay INV-000123 --amount 858.33 --date 15/10/2026 --method BACS
  thep-admin invoices remind --out reminders.pdf
                                               the 1st, 2nd and final reminders due today
  thep-admin invoices aged-debt --as-at 31/03/2027 --out aged-debt.xlsx
  thep-admin reviews clusters                  the clusters, their lead contacts and schools
  thep-admin reviews cycle --year 2026/27 --team-size 3 --reviews-per-school 3
  thep-admin reviews schedule --year 2026/27 --cluster "Bow primary schools" --apply
                                               a fair schedule for a cluster, saved
  thep-admin reviews check --year 2026/27      every breach of the cycle's rules
  thep-admin governance meetings --body B --year 2025/26
                                               the Board's meetings: notice, minutes, decisions
  thep-admin governance actions --overdue      every open action past its due date
  thep-admin governance render minutes 12 --out minutes.pdf
  thep-admin dashboard --as-at 31/03/2027 --json
                                               every figure behind the dashboard's tiles
  thep-admin report annual --year 2025/26 --out report.pdf --appendix appendix.xlsx
                                               the annual report to the Advisory Council
  thep-admin import-gias edubasealldata.csv --dry-run
  thep-admin export schools register.xlsx
  thep-admin letters templates                 the templates, and the fields each one needs
  thep-admin letters render review_visit --to urn:100981 --out visit.pdf \\
      --set visit.date="Tuesday 9 March 2027" --set visit.focus="Reading" \\
      --set visit.team="Ms Begum (lead), Mr Okafor"
  thep-admin letters render fee_letter --to members --out fees    one PDF per member
  thep-admin members register --as-at 31/08/2026 --out register.pdf
                                               the statutory register of members (or .xlsx)
  thep-admin backup --to D:\\Backups            a verified, dated copy of the database
  thep-admin restore partnership-office-backup-2026-11-30-1415.sqlite3
  thep-admin check                             is the database whole and consistent?
  thep-admin copy --from office.sqlite3 --to postgresql://admin@server/partnership
                                               move the office's database onto the server
  thep-admin audit --who jo.bloggs --since 01/11/2026 --xlsx trail.xlsx
  thep-admin users add jo.bloggs --role staff --name "Jo Bloggs"
  thep-admin users set-role jo.bloggs treasurer
  thep-admin offline checkout --out laptop.sqlite3
                                               a copy of the server's database to take away
  thep-admin offline status laptop.sqlite3     what the copy has changed since it was taken
  thep-admin offline sync laptop.sqlite3 --dry-run
                                               what a synchronisation would send and receive
  thep-admin COMMAND --help                    everything one command takes

Exit codes: 0 done, 1 could not be done (the reason is on stderr), 2 the command was typed
wrongly, 130 interrupted. Dates may be written 2026-01-15, 15/01/2026 or 15/1/26
({TWO_DIGIT_YEARS}).
"""


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the command: thep-admin --db X schools list, or
    # thep-admin schools list --db X.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the database: a SQLite file path or a postgresql:// address (default: the one "
        "the desktop program used last, else the local database in your user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="THE Partnership Office from the command line: set up a database, load "
        "demo data,\nread the schools register, keep the members and their fees, invoice them, "
        "import from GIAS,\nexport to Excel and produce letters.\nIt calls the same services "
        "as the desktop program.",
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init",
        parents=[common],
        help="create the database, or bring it up to date",
        description="Create the database (a new SQLite file, or the tables on a PostgreSQL "
        "server) or bring an existing one up to date, and say what was done.",
    )
    init.set_defaults(run=run_init, database="own")
    migrate = commands.add_parser(
        "migrate",
        parents=[common],
        help="bring an existing database up to date",
        description="Bring an existing database's tables up to the newest version. A SQLite "
        "file is copied beside itself first.",
    )
    migrate.set_defaults(run=run_migrate, database="own")
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="fill an empty database with demo data",
        description="Fill an empty register with a fictional London borough of about 90 "
        "schools, their contacts and link officers, its members (most schools, a few "
        "associates) with their fee schedules and payments, and a year of invoicing (fee runs, "
        "payments, reminders, a credit note, services sold), its peer reviews (clusters, "
        "term dates, last year's cycle and this year's part-way through), and its governance "
        "(the Board, the Advisory Council and the members' AGM, their people and a year of "
        "meetings with minutes, decisions and actions). Refuses a register "
        "that has schools, and a database that is not there yet (`init` creates it).",
    )
    demo.set_defaults(run=run_demo, database="existing")
    schools_commands.add_commands(commands, common)
    members_commands.add_commands(commands, common)
    fees_commands.add_commands(commands, common)
    invoices_commands.add_commands(commands, common)
    reviews_commands.add_commands(commands, common)
    governance_commands.add_commands(commands, common)
    dashboard_commands.add_commands(commands, common)
    report_commands.add_commands(commands, common)
    data_commands.add_commands(commands, common)
    letters_commands.add_commands(commands, common)
    backup_commands.add_commands(commands, common)
    audit_commands.add_commands(commands, common)
    users_commands.add_commands(commands, common)
    offline_commands.add_commands(commands, common)
    return parser


def run_main(argv: list[str] | None = None) -> int:
    """``thep-admin`` itself; :func:`thep_desktop.cli.admin.main` adds Ctrl+C handling."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help (0) or a usage error (2), already printed
            return exc.code if isinstance(exc.code, int) else 2
        return _run(args)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); say nothing more to it.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1


def _run(args: argparse.Namespace) -> int:
    # Not parser.set_defaults(db=None): that would change the --db action shared with the
    # commands, and a --db given before the command would be lost.
    given = getattr(args, "db", None)
    try:
        # A damaged install (a font or a migration missing) is named before the database is
        # touched, with what to do about it.
        check_installation()
        if args.database == "none":  # a file named on the command line, and its own server
            return args.run(args)
        # A server's address without a password takes the one kept on this computer for
        # user@host:port/database (the desktop program's Remember the password).
        url = with_stored_password(config.resolve_database_url(given))
        if args.database == "own":  # init and migrate open the database their own way
            return args.run(url, sys.stdout)
        if args.database == "address":  # restore and check read the database as it is
            return args.run(url, args)
        services, note = open_services(url, lock_notify=WaitLine(sys.stderr))
        try:
            if note:
                print(note, file=sys.stderr)
            if services.db.network_location:
                print(f"Warning: {network_warning(services.db.network_location)}", file=sys.stderr)
            run: Callable[[Services, argparse.Namespace], int] = args.run
            return run(services, args)
        finally:
            services.close()
    except ServerUnavailableError as exc:  # its own message speaks of the window's retrying
        return _fail(f"{exc.brief}; what this command had not finished was not saved.")
    except (CommandError, OfficeError) as exc:
        return _fail(str(exc))
    except NoDatabaseYet as exc:  # only init creates a database: say so, with the command
        create = "create them" if exc.on_server else "create one"
        return _fail(f"{exc.what}; {create} with: {PROG}{_db_option(url, given)} init")
    except DatabaseError as exc:
        return _fail(driver_message(exc))
    except OperationalError as exc:  # the server or file went away during the command
        return _fail(f"The database stopped answering: {driver_message(exc)}")


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 1


def _db_option(url: str, given: str | None) -> str:
    """`` --db ADDRESS`` as the user would type it again (a server's password as ***).

    A file is named by its absolute path, not as typed: a relative one names another file
    once the advice is followed from another folder. Double quotes work in cmd.exe,
    PowerShell and a Unix shell alike.
    """
    if not given:
        return ""
    path = sqlite_file_of(url)
    if path is not None:
        return f' --db "{path}"' if any(c.isspace() for c in str(path)) else f" --db {path}"
    return f" --db {shown_address(make_url(url).render_as_string(hide_password=True))}"


# -- database commands ----------------------------------------------------------------------------
def run_init(url: str, out: TextIO) -> int:
    services, note = open_services(url, create=True)
    try:
        out.write(f"Database: {services.db.describe()}\n")
        out.write((note or "The database was already up to date; nothing was changed.") + "\n")
        count = services.schools.count(services.actor)
        out.write(f"The register has {plural(count, 'school') if count else 'no schools yet'}.\n")
    finally:
        services.close()
    return 0


def run_migrate(url: str, out: TextIO) -> int:
    services, note = open_services(url)  # never creates: that is init's
    try:
        out.write(f"Database: {services.db.describe()}\n")
        out.write((note or "The database was already up to date; nothing was changed.") + "\n")
    finally:
        services.close()
    return 0


def run_demo(services: Services, args: argparse.Namespace) -> int:
    line = ProgressLine(sys.stderr, "Loading demo data", str(services.db.describe()))
    progress = Progress(line.report)
    try:
        with ctrl_c_cancels(progress):
            summary = DemoService(services.db).load(services.actor, progress)
    except Cancelled:
        raise KeyboardInterrupt from None  # rolled back; exit as any Ctrl+C does
    finally:
        line.finish()
    print(f"Demo data loaded: {summary}.")
    members = services.members.summary(services.actor)
    labels = [s.year.label for s in reversed(services.fees.list_schedules(services.actor))]
    years = " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    print(
        f"Members: {plural(members.full_members, 'full member')} and "
        f"{plural(members.associate_members, 'associate')} ({members.under_notice:,} under "
        f"notice), {plural(members.applications, 'application')} waiting; fee schedules for "
        f"{years}."
    )
    clusters = services.clusters.list_clusters(services.actor)
    cycles = [
        f"{cycle.year.label}: {reviews_commands.status_counts(cycle)}"
        for cycle in services.reviews.list_cycles(services.actor)
    ]
    print(f"Peer reviews: {plural(len(clusters), 'cluster')}; {'; '.join(cycles)}.")
    print(f"Governance: {governance_commands.demo_summary(services)}.")
    return 0
