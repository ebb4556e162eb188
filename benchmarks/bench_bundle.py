"""The packaged program: its start-up against ``python -m thep_desktop``, and its folder's size.

Both start as the user starts them (a new process) on the same migrated SQLite register, with
``--quit-when-ready``, timed as the ``startup`` benchmark times them (from just before
starting the process to its ``THEP-READY`` line), taking turns after a warm-up of each. The
packaged program is the one-folder build of ``packaging/thep.spec``: ``THEP_BUNDLE`` names a
folder already built (``…/dist/thep-office``); otherwise it is built first into
``build/bundle/`` (a few minutes; PyInstaller from ``pip install -e ".[build]"``), and that
build is reused by later runs of the same code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_startup import APP_MARKER, make_register_in_child, time_to_marker
from benchmarks.harness import ROOT, Figure, baseline, parts_within

FULL_SCHOOLS = 25_000
QUICK_SCHOOLS = 2_000
SIZE_LIMIT_MB = 200
BUILD = ROOT / "build" / "bundle"


def newest_source_change() -> float:
    watched = [ROOT / "packaging", ROOT / "resources", ROOT / "thep_desktop"]
    return max(p.stat().st_mtime for folder in watched for p in folder.rglob("*") if p.is_file())


def bundle_folder() -> Path:
    """The folder to measure: THEP_BUNDLE, or a build of the current code (made if need be)."""
    given = os.environ.get("THEP_BUNDLE")
    if given:
        folder = Path(given)
        if not (folder / "thep-desktop").exists() and not (folder / "thep-desktop.exe").exists():
            raise RuntimeError(f"THEP_BUNDLE={given} holds no thep-desktop")
        return folder
    folder = BUILD / "dist" / "thep-office"
    program = folder / ("thep-desktop.exe" if sys.platform == "win32" else "thep-desktop")
    if program.exists() and program.stat().st_mtime >= newest_source_change():
        return folder
    print("  building the packaged program (a few minutes)…", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "WARN",
                "--distpath",
                str(BUILD / "dist"),
                "--workpath",
                str(BUILD / "work"),
                str(ROOT / "packaging" / "thep.spec"),
            ],
            check=True,
            cwd=ROOT,
        )
    except FileNotFoundError as exc:  # pragma: no cover - said in words
        raise RuntimeError('PyInstaller is needed: python -m pip install -e ".[build]"') from exc
    print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def folder_mb(folder: Path) -> float:
    # PyInstaller links some libraries from the top of the folder to where they are: count once.
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def run(quick: bool) -> list[Figure]:
    folder = bundle_folder()
    schools = QUICK_SCHOOLS if quick else FULL_SCHOOLS
    repeats = 2 if quick else 5
    with tempfile.TemporaryDirectory(prefix="thep-bench-bundle-") as tmp:
        work = Path(tmp)
        database = make_register_in_child(work / "register.sqlite3", schools)
        env = {k: v for k, v in os.environ.items() if not k.startswith("THEP_")}
        env.update(
            QT_QPA_PLATFORM="offscreen",
            THEP_CONFIG_DIR=str(work / "config"),
            THEP_DATA_DIR=str(work / "data"),
            THEP_LOG_DIR=str(work / "logs"),
        )
        name = "thep-desktop.exe" if sys.platform == "win32" else "thep-desktop"
        bundled = [str(folder / name), "--db", str(database), "--quit-when-ready"]
        source = [sys.executable, "-m", "thep_desktop", "--db", str(database), "--quit-when-ready"]
        time_to_marker(source, APP_MARKER, env)
        time_to_marker(bundled, APP_MARKER, env)
        source_times: list[float] = []
        bundle_times: list[float] = []
        bundle_in_main: list[float] = []
        for _ in range(repeats):
            source_times.append(time_to_marker(source, APP_MARKER, env)[0])
            elapsed, line = time_to_marker(bundled, APP_MARKER, env)
            bundle_times.append(elapsed)
            words = line.split()  # "THEP-READY 1.234 s, 25000 rows"
            bundle_in_main.append(float(words[1]))
            if int(words[3]) != schools:
                raise RuntimeError(f"the bundle showed {words[3]} rows, expected {schools}")

    group = f"packaged program: one folder, {schools:,} schools, {repeats} runs in turn"
    in_main, before_main = parts_within(bundle_times, bundle_in_main, "bundle main()")
    source_figure = baseline(group, "python -m thep_desktop, same database", source_times, "s")
    bundle_figure = Figure(
        group,
        "bundled thep-desktop: process start to table filled",
        bundle_times,
        "s",
        baseline=source_figure,
        baseline_name="python -m",
    )
    size = folder_mb(folder)
    qt = folder_mb(next(folder.rglob("PySide6"))) if any(folder.rglob("PySide6")) else 0.0
    size_figure = Figure(group, "size of the folder", [size], "MB", target=f"< {SIZE_LIMIT_MB} MB")
    size_figure.met = size < SIZE_LIMIT_MB
    return [
        bundle_figure,
        Figure(group, "  of which main() to ready (same runs)", in_main, "s"),
        Figure(group, "  of which start-up before main() (same runs)", before_main, "s"),
        source_figure,
        size_figure,
        Figure(group, "  of which Qt (PySide6)", [qt], "MB"),
    ]
