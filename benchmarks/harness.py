"""What every benchmark module returns, and the table they are printed in."""

from __future__ import annotations

import resource
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    """One measured figure, printed as a row of the results table."""

    benchmark: str  # e.g. "start-up"
    measure: str  # e.g. "process start to table filled (25,000 schools)"
    value: float
    unit: str  # "s", "ms", "MB", "statements", "ms/page"
    baseline: float | None = None  # same quantity for the baseline measured in this run
    baseline_name: str = ""
    target: str = ""  # e.g. "<= 2x bare + 1 s"
    met: bool | None = None  # None when the figure has no pass mark

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def print_table(figures: list[Figure], out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    header = ("benchmark", "measure", "value", "baseline", "ratio", "target", "met")
    rows = []
    for f in figures:
        rows.append(
            (
                f.benchmark,
                f.measure,
                f"{fmt(f.value)} {f.unit}",
                "" if f.baseline is None else f"{fmt(f.baseline)} {f.unit} ({f.baseline_name})",
                "" if f.ratio is None else f"{f.ratio:.2f}x",
                f.target,
                "" if f.met is None else ("yes" if f.met else "NO"),
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), file=out)
    print(line, file=out)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)), file=out)


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
