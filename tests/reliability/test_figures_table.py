"""The reliability figures table lines up and counts failures."""

from __future__ import annotations

import reliability_figures


def test_the_table_counts_trials_and_failures(monkeypatch) -> None:
    monkeypatch.setattr(reliability_figures, "FIGURES", [])
    reliability_figures.record("two imports at once", trials=10, failures=0, database="sqlite")
    reliability_figures.record("kill a merge", trials=12, failures=1, kill_points="random 0-3 s")
    lines = reliability_figures.summary_lines()
    assert lines[0].startswith("case")
    assert "two imports at once  sqlite" in lines[2]
    assert lines[-1] == "2 cases, 22 trials, 1 failures"
