"""``thep-admin check``: a list of checks of a database, each area adding its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import inspect, select, text

from thep_desktop.audit_trail import verify_chain
from thep_desktop.database import Database, DatabaseError, head_revision
from thep_desktop.models import AuditEvent, Base
from thep_desktop.models.audit import AUDIT_TABLE
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.permissions import VIEW

# A check reads the database and returns the problems it found (none: it passed). It never
# writes. Later areas append theirs (the audit chain, invoice totals equal their lines).
CheckFunction = Callable[[Database], list[str]]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFunction
    sqlite_only: bool = False


@dataclass(frozen=True)
class CheckResult:
    name: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


CHECKS: list[Check] = []


def register_check(
    name: str, *, sqlite_only: bool = False
) -> Callable[[CheckFunction], CheckFunction]:
    """Add a check to ``thep-admin check`` (as a decorator)."""

    def add(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(name, function, sqlite_only))
        return function

    return add


@register_check("Recognised as this program's database")
def _recognised(db: Database) -> list[str]:
    found = db.recognise()
    if found.state == "ours":
        return []
    return [f"it is not: {found.detail or found.state}"]


@register_check("Schema revision is this program's")
def _revision(db: Database) -> list[str]:
    found = db.recognise()
    head = head_revision()
    if found.revision == head:
        return []
    return [f"the database is at schema {found.revision or 'none'}, the program at {head}"]


@register_check("SQLite integrity check", sqlite_only=True)
def _integrity(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
    return [] if rows == ["ok"] else rows


@register_check("Foreign keys hold")
def _foreign_keys(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        if db.is_sqlite:
            rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            return [f"{row[0]} row {row[1]} points to a missing {row[2]} row" for row in rows]
        # On a server: one query per foreign key the program's models declare (so a key the
        # server lost is still checked), finding rows that point nowhere.
        problems: list[str] = []
        quote = conn.dialect.identifier_preparer.quote
        present_tables = set(inspect(conn).get_table_names())
        for table in Base.metadata.sorted_tables:
            for key in table.foreign_key_constraints:
                parent = key.referred_table.name
                if table.name not in present_tables or parent not in present_tables:
                    continue
                pairs = [(e.parent.name, e.column.name) for e in key.elements]
                join = " AND ".join(f"c.{quote(a)} = p.{quote(b)}" for a, b in pairs)
                present = " AND ".join(f"c.{quote(a)} IS NOT NULL" for a, _b in pairs)
                count = conn.execute(
                    text(
                        f"SELECT count(*) FROM {quote(table.name)} c LEFT JOIN {quote(parent)} p "
                        f"ON {join} WHERE {present} AND p.{quote(pairs[0][1])} IS NULL"
                    )
                ).scalar_one()
                if count:
                    problems.append(f"{count} {table.name} row(s) point to a missing {parent} row")
        return problems


AUDIT_CHECK = "Audit trail unbroken"


@register_check(AUDIT_CHECK)
def _audit_chain(db: Database) -> list[str]:
    """Every audit row as written, none missing, none slipped in (audit_trail.verify_chain)."""
    table = AuditEvent.__table__
    with db.engine.connect() as conn:
        if AUDIT_TABLE not in set(inspect(conn).get_table_names()):
            return []  # a database from before the trail: nothing to check yet
        rows = conn.execution_options(yield_per=2000).execute(
            select(table).order_by(table.c.seq)  # type: ignore[arg-type]
        )
        report = verify_chain(row._mapping for row in rows)
    return report.problems


def audit_chain_head(db: Database) -> tuple[int, str]:
    """How many audit rows there are and the last one's hash: note it, to compare later
    (a chain cannot show its own last rows removed; an outside note of its head can)."""
    table = AuditEvent.__table__
    with db.engine.connect() as conn:
        row = conn.execute(
            select(table.c.seq, table.c.row_hash).order_by(table.c.seq.desc()).limit(1)  # type: ignore[attr-defined]
        ).first()
    return (int(row[0]), str(row[1])) if row else (0, "")


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as ``check`` prints it; ValueError in words if it is not that."""
    seq, _sep, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(
            f"“{text}” is not an audit trail head: it is written NUMBER:HASH, as "
            "thep-admin check prints it (for example 1234:5f3a…, the hash in 64 characters)"
        )
    return int(seq), digest


def head_problems(db: Database, noted: tuple[int, str]) -> list[str]:
    """Whether the trail still holds, unchanged, the row noted earlier as its head.

    The chain finds a row changed or removed anywhere but at its end; a head noted outside
    the database (printed by an earlier check, kept with a backup) finds the end cut off.
    """
    seq, digest = noted
    table = AuditEvent.__table__
    with db.engine.connect() as conn:
        found = conn.execute(
            select(table.c.row_hash).where(table.c.seq == seq)  # type: ignore[attr-defined]
        ).scalar()
    if found is None:
        return [f"audit record {seq}, noted earlier as the trail's last, is gone: "
                "the trail was cut short at its end"]  # fmt: skip
    if found != digest:
        return [f"audit record {seq} is not the one noted earlier: the trail was rewritten"]
    return []


def run_checks(db: Database, actor: Actor) -> list[CheckResult]:
    """Every check that applies to this database, in order; a check that fails to run is a
    problem of its own, not a crash."""
    actor.require(VIEW)
    # The areas' own checks register themselves when their module is first imported.
    import thep_desktop.services.governance.governance_integrity_checks  # noqa: F401
    import thep_desktop.services.invoices.invoice_integrity_checks  # noqa: F401
    import thep_desktop.services.peer_reviews.review_integrity_checks  # noqa: F401

    # Nothing more is read from what is not ours (and a missing SQLite file must not be
    # made by opening it): the first check says what was found.
    try:
        found = db.recognise()
        refusal = "" if found.state == "ours" else f"it is not: {found.detail or found.state}"
        if found.state in ("missing", "empty"):
            refusal = f"there is no database of this program at {db.describe()}"
    except DatabaseError as exc:
        refusal = str(exc)
    if refusal:
        return [CheckResult(CHECKS[0].name, [refusal])]
    results: list[CheckResult] = []
    for check in CHECKS:
        if check.sqlite_only and not db.is_sqlite:
            continue
        try:
            problems = check.run(db)
        except Exception as exc:  # noqa: BLE001 - a damaged file fails the check, in words
            problems = [f"the check could not be run: {str(exc).splitlines()[0]}"]
        results.append(CheckResult(check.name, problems))
    return results
