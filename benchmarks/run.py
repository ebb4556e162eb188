"""Run every benchmark and print one table: ``python -m benchmarks.run [--quick] [NAME ...]``.

Each ``benchmarks/bench_*.py`` module has ``run(quick: bool) -> list[Figure]``. ``--quick``
uses smaller sizes (a smoke run, e.g. for checking the scripts work); the figures quoted in
the README come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time

from benchmarks.harness import ROOT, Figure, print_table


def discover() -> list[str]:
    return sorted(p.stem[len("bench_") :] for p in (ROOT / "benchmarks").glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default all: {', '.join(discover())})"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    names = args.names or discover()
    figures: list[Figure] = []
    for name in names:
        if name not in discover():
            print(
                f"no benchmark called {name!r}; there are: {', '.join(discover())}", file=sys.stderr
            )
            return 2
        module = importlib.import_module(f"benchmarks.bench_{name}")
        started = time.perf_counter()
        print(f"running {name}…", file=sys.stderr, flush=True)
        figures.extend(module.run(quick=args.quick))
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print()
    print_table(figures)
    print(READING)
    speed = machine_speed()
    print(
        f"This machine during the run: {statistics.median(speed):.2f} s (min {min(speed):.2f}, "
        f"max {max(speed):.2f}, n={len(speed)}) for ten million additions in pure Python\n"
        "(shared machines change speed from hour to hour; every time above moves with it)."
    )
    return 0


READING = """
median, min, max: over n runs of the whole measure (for the filter, over n keystrokes).
ratio: this median over the median of the baseline it names, measured in the same run
(its row is in the table). "of which" lines are timed inside the very runs (or keystrokes)
of the line above them: run by run they add up to it, so their median, min and max never
exceed its own (the medians of the parts need not add up to the median of the whole).
"""


def machine_speed(repeats: int = 3) -> list[float]:
    """Seconds for a fixed piece of pure Python, each time: how fast the machine was."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    sys.exit(main())
