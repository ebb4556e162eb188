"""Search as you type: time per keystroke in the Schools tab's search box, 25,000 schools.

The real main window is opened in this process (offscreen) on a migrated SQLite register;
searches an office user types are entered one keystroke at a time, then deleted one
character at a time back to an empty box. Each keystroke is timed from ``setText`` to the
end of ``processEvents()``: the filter (applied at once on ``textChanged``; the tab has no
debounce delay), the proxy's row mapping, the count label and the repaint of the table.

The baseline is the least any search can cost in Python: one ``needle in key`` test per
school over the same precomputed search keys, for the same sequence of keystrokes.

Each keystroke's time is split, within that same keystroke, into ``setText`` (the filter
applied, the rows remapped, the count label set) and ``processEvents()`` (the table and
label repainted); the median, min and max are over every keystroke, typing and deleting.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.bench_startup import FULL_SCHOOLS, QUICK_SCHOOLS, make_register_in_child
from benchmarks.harness import Figure, baseline, parts_within, peak_rss_mb

# What an office user types: a name, a postcode district, part of a URN, a school type.
SEARCHES = ("st mary", "E14", "1002", "academy", "bow primary")


def keystrokes(searches: tuple[str, ...] = SEARCHES) -> list[str]:
    """The search box's text after each keystroke: each search typed, then deleted back."""
    texts: list[str] = []
    for search in searches:
        texts.extend(search[:n] for n in range(1, len(search) + 1))
        texts.extend(search[:n] for n in range(len(search) - 1, -1, -1))
    return texts


def run(quick: bool) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from thep_desktop.database import sqlite_url
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import local_actor
    from thep_desktop.ui.main_window import MainWindow

    schools = QUICK_SCHOOLS if quick else FULL_SCHOOLS
    texts = keystrokes()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="thep-bench-filter-") as tmp:
        database = make_register_in_child(Path(tmp) / "register.sqlite3", schools)
        memory_before = peak_rss_mb()
        services, _note = open_services(sqlite_url(database), local_actor())
        window = MainWindow(services)
        try:
            window.show()
            window.load()
            app.processEvents()
            tab = window.schools_tab
            # Every school, closed ones too: the status filter starts at open and proposed.
            tab.set_quick_filter(tab.status_filter, "")
            app.processEvents()
            if tab.proxy.rowCount() != schools:
                raise RuntimeError(f"the table shows {tab.proxy.rowCount()} of {schools} rows")
            # One untimed pass: Qt's first layouts and Python's first calls are not typing.
            for text in texts:
                tab.search.setText(text)
                app.processEvents()
            times_ms: list[float] = []
            filter_ms: list[float] = []  # setText alone: the filter applied, proxy remapped
            for text in texts:
                started = time.perf_counter()
                tab.search.setText(text)
                filtered = time.perf_counter()
                app.processEvents()
                times_ms.append((time.perf_counter() - started) * 1000)
                filter_ms.append((filtered - started) * 1000)
                if tab.proxy.current_filter.text != text:
                    raise RuntimeError(f"the filter was not applied for {text!r}")
            memory_after = peak_rss_mb()

            keys = tab.model.search_keys()
            scan_ms: list[float] = []
            for text in texts:
                needle = text.casefold()
                started = time.perf_counter()
                _hits = [needle in key for key in keys]
                scan_ms.append((time.perf_counter() - started) * 1000)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            services.close()

    group = f"filter: search as you type, {schools:,} schools, no debounce delay"
    set_text_ms, events_ms = parts_within(times_ms, filter_ms, "setText within the keystroke")
    worst = max(range(len(texts)), key=times_ms.__getitem__)
    worst_from, worst_to = texts[worst - 1] if worst else "", texts[worst]
    scan = baseline(group, "plain Python scan of the keys", scan_ms, "ms")
    keystroke = Figure(
        group,
        "keystroke to table filtered and painted",
        times_ms,
        "ms",
        baseline=scan,
        baseline_name="scan",
        target="median < 30 ms",
    )
    keystroke.met = keystroke.value < 30
    memory_start = baseline(group, "peak memory before opening", [memory_before], "MB")
    return [
        keystroke,
        Figure(group, "  of which setText (same keystrokes)", set_text_ms, "ms"),
        Figure(
            group,
            "  of which processEvents (same keystrokes)",
            events_ms,
            "ms",
        ),
        Figure(
            group,
            f"  slowest keystroke: {worst_from!r} to {worst_to!r}",
            [times_ms[worst]],
            "ms",
        ),
        scan,
        Figure(
            group,
            "peak memory, window open",
            [memory_after],
            "MB",
            baseline=memory_start,
            baseline_name="before",
        ),
        memory_start,
    ]
