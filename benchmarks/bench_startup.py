"""Start-up: wall time from starting ``python -m thep_desktop`` to the register shown and filled.

The program is started as the user starts it (a new process), on a migrated SQLite file
holding 25,000 schools, with ``--quit-when-ready``: it prints ``THEP-READY`` once the main
window is shown with the table filled, then quits. The clock starts just before
``subprocess.Popen`` and stops when that line is read, so interpreter start and every import
count. The baseline, timed the same way in the same run, is a bare PySide6 program: a
``QMainWindow`` holding an empty ``QTableView``, shown, events processed, a ready line printed.
The ready line also carries the program's own clock from ``main()``: each run is split into
before and after ``main()`` from that same run, so the parts always add up to their whole.

Settings and data folders point at temporary folders (``THEP_CONFIG_DIR``, ``THEP_DATA_DIR``),
so the user's own settings are untouched; the register is not empty, so the demo offer
never appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, Figure, baseline, call_in_child, parts_within

FULL_SCHOOLS = 25_000
QUICK_SCHOOLS = 2_000
BARE_MARKER = "BARE-READY"
APP_MARKER = "THEP-READY"

BARE_SCRIPT = f"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1360, 820)
window.show()
app.processEvents()
print("{BARE_MARKER}", flush=True)
window.close()
app.quit()
"""


def make_register_in_child(path: Path, schools: int) -> Path:
    """Build a migrated register file in a separate process.

    Generating 25,000 schools holds a lot of Python objects at once; doing it in a child keeps
    the benchmark process's peak memory about the program, not about the test data.
    """
    from benchmarks.school_data import make_register_file

    call_in_child(make_register_file, path, schools)
    return path


def time_to_marker(command: list[str], marker: str, env: dict[str, str]) -> tuple[float, str]:
    """Seconds from just before starting ``command`` to its line starting with ``marker``."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        assert process.stdout is not None
        elapsed: float | None = None
        line_seen = ""
        for line in process.stdout:
            if line.startswith(marker):
                elapsed = time.perf_counter() - started
                line_seen = line.strip()
                break
        process.stdout.read()  # let it finish writing, then wait for it to quit
        code = process.wait(timeout=60)
        if elapsed is None or code != 0:
            errors.seek(0)
            raise RuntimeError(
                f"{' '.join(command)} did not start properly (exit code {code}):\n{errors.read()}"
            )
    return elapsed, line_seen


def run(quick: bool) -> list[Figure]:
    schools = QUICK_SCHOOLS if quick else FULL_SCHOOLS
    repeats = 2 if quick else 5
    with tempfile.TemporaryDirectory(prefix="thep-bench-startup-") as tmp:
        folder = Path(tmp)
        database = make_register_in_child(folder / "register.sqlite3", schools)
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            THEP_CONFIG_DIR=str(folder / "config"),
            THEP_DATA_DIR=str(folder / "data"),
        )
        app = [sys.executable, "-m", "thep_desktop", "--db", str(database), "--quit-when-ready"]
        bare = [sys.executable, "-c", BARE_SCRIPT]

        # One warm-up of each (file cache, byte-code), then alternate so that any drift in
        # the machine's load falls on both alike.
        time_to_marker(bare, BARE_MARKER, env)
        time_to_marker(app, APP_MARKER, env)
        bare_times: list[float] = []
        app_times: list[float] = []
        in_app_times: list[float] = []
        for _ in range(repeats):
            bare_times.append(time_to_marker(bare, BARE_MARKER, env)[0])
            elapsed, line = time_to_marker(app, APP_MARKER, env)
            app_times.append(elapsed)
            # "THEP-READY 1.234 s, 25000 rows": the program's own clock, from main() on.
            words = line.split()
            in_app_times.append(float(words[1]))
            shown = int(words[3])
            if shown != schools:
                raise RuntimeError(f"the program showed {shown} rows, expected {schools}")

    group = f"start-up: python -m thep_desktop, {schools:,} schools, {repeats} runs in turn"
    in_app, before_main = parts_within(app_times, in_app_times, "main() within process start")
    bare_figure = baseline(group, "bare PySide6 window, timed alike", bare_times, "s")
    app_figure = Figure(
        group,
        "process start to table filled",
        app_times,
        "s",
        baseline=bare_figure,
        baseline_name="bare",
        target="<= 2x bare + 1 s",
    )
    app_figure.met = app_figure.value <= 2 * bare_figure.value + 1
    return [
        app_figure,
        # The program's own clock, printed on its ready line: the same runs as the line above.
        Figure(group, "  of which main() to ready (same runs)", in_app, "s"),
        Figure(
            group,
            "  of which start-up before main() (same runs)",
            before_main,
            "s",
        ),
        bare_figure,
    ]
