"""What every benchmark module returns, the table they are printed in, and shared helpers."""

from __future__ import annotations

import functools
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent


@dataclass(eq=False)
class Figure:
    """One measured quantity: a median and its spread, printed as a row of the results table.

    ``samples`` are the separate measurements (one per run, or per keystroke); the table
    shows their median, min, max and count. ``baseline`` is another figure of the same run,
    printed in the same table (usually a row made by :func:`baseline`); the ratio is this
    median over its median, labelled ``baseline_name`` (a word or two, e.g. "bare").
    """

    benchmark: str  # the heading its rows go under, e.g. "start-up: 25,000 schools, 5 runs"
    measure: str  # e.g. "process start to table filled"
    samples: Sequence[float]
    unit: str  # "s", "ms", "MB", "ms/page"; "" for a count
    baseline: Figure | None = None
    baseline_name: str = ""
    target: str = ""  # e.g. "<= 2x bare + 1 s"
    met: bool | None = None  # None when the figure has no pass mark

    def __post_init__(self) -> None:
        self.samples = tuple(self.samples)
        if not self.samples:
            raise ValueError(f"{self.benchmark}: no measurements for {self.measure!r}")

    @property
    def value(self) -> float:
        """The median of the samples."""
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.value == 0:
            return None
        return self.value / self.baseline.value


def baseline(benchmark: str, name: str, samples: Sequence[float], unit: str) -> Figure:
    """A row that other figures of the same run are compared with."""
    return Figure(benchmark, f"baseline: {name}", samples, unit)


def parts_within(
    wholes: Sequence[float], parts: Sequence[float], what: str
) -> tuple[list[float], list[float]]:
    """Check that each part was timed inside its whole, and return (parts, rest) per run.

    ``wholes[i]`` and ``parts[i]`` come from the same run, so a part can never be the larger;
    if it is, the benchmark measured something else than it says, and it stops.
    """
    if len(wholes) != len(parts):
        raise RuntimeError(f"{what}: {len(parts)} parts for {len(wholes)} runs")
    for whole, part in zip(wholes, parts, strict=True):
        if not 0 <= part <= whole:
            raise RuntimeError(f"{what}: a part took {part:.6g}, longer than its whole {whole:.6g}")
    return list(parts), [whole - part for whole, part in zip(wholes, parts, strict=True)]


def fmt(value: float) -> str:
    if isinstance(value, int):  # counts
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:#.3g}" if abs(value) < 1 else f"{value:.2f}"


def fmt_ratio(ratio: float) -> str:
    if ratio >= 100:
        return f"{ratio:,.0f}x"
    return f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


HEADER = ("measure", "median", "min", "max", "unit", "n", "ratio", "target", "met")
_NUMBERS = {"median", "min", "max", "n"}  # lined up on the right


def table_rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    """The table's cells, with a heading row (the benchmark) before each benchmark's rows."""
    rows: list[tuple[str, ...]] = []
    current = None
    for f in figures:
        if f.baseline is not None and not any(f.baseline is other for other in figures):
            raise ValueError(f"{f.measure!r}: its baseline is not among the figures printed")
        if f.benchmark != current:
            current = f.benchmark
            rows.append((f.benchmark,))
        spread = f.n > 1
        rows.append(
            (
                "  " + f.measure,
                fmt(f.value),
                fmt(f.low) if spread else "",
                fmt(f.high) if spread else "",
                f.unit,
                str(f.n),
                "" if f.ratio is None else f"{fmt_ratio(f.ratio)} {f.baseline_name}".rstrip(),
                f.target,
                "" if f.met is None else ("yes" if f.met else "NO"),
            )
        )
    return rows


def print_table(figures: list[Figure], out: TextIO = sys.stdout) -> None:
    rows = table_rows(figures)
    cells = [r for r in rows if len(r) == len(HEADER)]
    widths = [max(len(r[i]) for r in [HEADER, *cells]) for i in range(len(HEADER))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if h in _NUMBERS else c.ljust(w)
            for c, w, h in zip(row, widths, HEADER, strict=True)
        ).rstrip()

    print(line(HEADER), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(row[0] if len(row) == 1 else line(row), file=out)


@dataclass
class Stopwatch:
    """Time spent inside one function, summed over its calls."""

    seconds: float = 0.0
    calls: int = 0


@contextmanager
def time_calls(module: ModuleType, name: str) -> Iterator[Stopwatch]:
    """Time every call of ``module.name`` made by the program while the block runs.

    Modules that did ``from module import name`` hold their own reference to the function,
    so every ``thep_desktop`` module holding that same function gets the timed one too; the
    originals are put back on the way out. A part timed this way lies inside its whole.
    """
    original = getattr(module, name)
    watch = Stopwatch()

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            watch.seconds += time.perf_counter() - started
            watch.calls += 1

    holders = [
        held
        for held_name, held in list(sys.modules.items())
        if held_name.startswith("thep_desktop") and getattr(held, name, None) is original
    ]
    for held in holders:
        setattr(held, name, timed)
    try:
        yield watch
    finally:
        for held in holders:
            setattr(held, name, original)


def call_in_child(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` in a fresh Python process; its JSON-able result comes back.

    A process of its own gives each run its own peak memory and no warm caches from the
    last run. Arguments go over as JSON (paths as text).
    """
    code = (
        "import importlib, json, sys\n"
        "module = importlib.import_module(sys.argv[1])\n"
        "result = getattr(module, sys.argv[2])(*json.loads(sys.argv[3]))\n"
        "print(json.dumps(result, default=str))\n"
    )
    module = function.__module__
    if module == "__main__":  # a benchmark run by itself: its own name, as imported
        module = sys.modules["__main__"].__spec__.name  # type: ignore[union-attr]
    command = [
        sys.executable,
        "-c",
        code,
        module,
        function.__name__,
        json.dumps(args, default=str),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"{module}.{function.__name__} failed in its own process "
            f"(exit code {done.returncode}):\n{done.stderr}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    On Linux from ``VmHWM`` in /proc/self/status: ``ru_maxrss`` of a process started by
    another keeps the starting process's peak, so a child of ``benchmarks.run`` would report
    at least the runner's own memory. Elsewhere, ``ru_maxrss`` (KiB on Linux).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
