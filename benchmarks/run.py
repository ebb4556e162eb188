"""Run every benchmark and print one table: ``python -m benchmarks.run [--quick] [NAME ...]``.

Each ``benchmarks/bench_*.py`` module has ``run(quick: bool) -> list[Figure]``. ``--quick``
uses smaller sizes (a smoke run, e.g. for checking the scripts work); the figures quoted in
the README come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import os
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
    print(
        f"\nThis machine during the run: {machine_speed():.2f} s for ten million additions in "
        "pure Python\n(shared machines change speed from hour to hour; every time above moves "
        "with it)."
    )
    return 0


def machine_speed() -> float:
    """Seconds for a fixed piece of pure Python: how fast the machine was, for the record."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    sys.exit(main())
