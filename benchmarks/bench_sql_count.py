"""SQL statements from opening the database to the Schools tab shown and filled.

The number of statements must not grow with the register: a small register and a large
one are opened the same way (``open_services``, then the real main window shown and
loaded, in this process, offscreen) and every statement SQLAlchemy sends to the driver is
counted, schema checks at opening included. SQLite's own connection pragmas are run on the
raw driver connection and are not counted.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Engine, event

from benchmarks.bench_startup import FULL_SCHOOLS, QUICK_SCHOOLS, make_register_in_child
from benchmarks.harness import Figure

SMALL_SCHOOLS = 100
MOST_STATEMENTS = 10


def statements_to_open(database: Path, schools: int) -> list[str]:
    """Every SQL statement run from opening ``database`` to its Schools tab shown and filled."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from thep_desktop.database import sqlite_url
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import local_actor
    from thep_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()))

    # Listening on the Engine class catches the engine open_services is about to create.
    event.listen(Engine, "before_cursor_execute", count)
    try:
        services, _note = open_services(sqlite_url(database), local_actor())
        window = MainWindow(services)
        window.show()
        window.load()
        app.processEvents()
        # Every school read into the table, whichever the status filter starts at.
        loaded = window.schools_tab.model.total_count()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    window.close()
    window.deleteLater()
    app.processEvents()
    services.close()
    if loaded != schools:
        raise RuntimeError(f"the table holds {loaded} of {schools} schools")
    return statements


def run(quick: bool) -> list[Figure]:
    large = QUICK_SCHOOLS if quick else FULL_SCHOOLS
    with tempfile.TemporaryDirectory(prefix="thep-bench-sql-") as tmp:
        counts = {}
        for schools in (SMALL_SCHOOLS, large):
            database = make_register_in_child(Path(tmp) / f"register-{schools}.sqlite3", schools)
            statements = statements_to_open(database, schools)
            counts[schools] = len(statements)
            if os.environ.get("THEP_BENCH_VERBOSE"):
                print(f"  statements at {schools:,} schools:", file=sys.stderr)
                for statement in statements:
                    print(f"    {statement[:110]}", file=sys.stderr)
    small, big = counts[SMALL_SCHOOLS], counts[large]
    target = f"same, <= {MOST_STATEMENTS}"
    group = "sql count: from opening the database to the Schools tab filled"
    small_figure = Figure(
        group,
        f"SQL statements, {SMALL_SCHOOLS:,} schools",
        [small],
        "",
        target=target,
        met=small <= MOST_STATEMENTS,
    )
    return [
        small_figure,
        Figure(
            group,
            f"SQL statements, {large:,} schools",
            [big],
            "",
            baseline=small_figure,
            baseline_name="small",
            target=target,
            met=small == big and big <= MOST_STATEMENTS,
        ),
    ]
