"""The figures of the reliability suite (tests/reliability/): trials, kill points, failures.

Each reliability test records what it tried with :func:`record`; the end of the pytest run
prints them as one table (``pytest_terminal_summary`` in tests/conftest.py), so a reader of
CI's output sees the evidence and not only a green tick. A test records its figures *before*
asserting that the failures are 0, so a failing case still shows its numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Figure:
    case: str  # what was tried, in a few words
    database: str  # "sqlite", "postgresql" or "" when no database is involved
    trials: int  # how many times it was tried
    kill_points: str  # where processes were killed or faults injected ("" when none)
    failures: int  # trials that broke the rule (must be 0)
    detail: str = ""  # anything else the reader should know (e.g. "12 refused, 8 no change")


FIGURES: list[Figure] = []


def record(
    case: str,
    *,
    trials: int,
    failures: int,
    database: str = "",
    kill_points: str = "",
    detail: str = "",
) -> Figure:
    figure = Figure(case, database, trials, kill_points, failures, detail)
    FIGURES.append(figure)
    return figure


def as_records() -> list[dict[str, object]]:
    """The figures as plain data, which a worker of a parallel run can send its controller."""
    return [asdict(f) for f in FIGURES]


def take_records(records: list[dict[str, object]]) -> None:
    """Figures a worker sent (:func:`as_records`), added to this process's."""
    FIGURES.extend(Figure(**record) for record in records)  # type: ignore[arg-type]


def summary_lines() -> list[str]:
    """The recorded figures as an aligned text table."""
    header = ("case", "database", "trials", "kill points / faults", "failures", "detail")
    rows = [
        (f.case, f.database or "-", str(f.trials), f.kill_points or "-", str(f.failures), f.detail)
        for f in FIGURES
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    total = sum(f.failures for f in FIGURES)
    lines.append(f"{len(FIGURES)} cases, {sum(f.trials for f in FIGURES)} trials, {total} failures")
    return lines
