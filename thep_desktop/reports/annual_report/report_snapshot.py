"""A final report's figures, charts and tables, kept as they stood when it was approved.

A draft's figures are worked out from the records each time it is made. Once the report is
marked final they are written down with it (as JSON text in the database), so that a late
correction to last year's records never changes a report the Advisory Council approved: it
prints the same figures as on the day, like approved minutes. Decimals and dates keep their
type (a tag names them), so the PDF and the appendix lay them out exactly as before.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from thep_desktop.reports.annual_report.report_data import Figure, ReportSection, ReportTable
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series, Unit

VERSION = 1


class SnapshotError(ValueError):
    """The kept figures cannot be read (written by a later version of the program)."""


def sections_to_json(sections: tuple[ReportSection, ...]) -> str:
    """The sections as JSON text: narrative, figures, charts, tables and empty words."""
    return json.dumps(
        {"version": VERSION, "sections": [_section(s) for s in sections]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def sections_from_json(text: str) -> tuple[ReportSection, ...]:
    """The sections :func:`sections_to_json` wrote, each value of the type it had."""
    kept = json.loads(text)
    if not isinstance(kept, dict) or kept.get("version") != VERSION:
        raise SnapshotError(
            "This final report's figures were kept by another version of the program; "
            "open it with that version."
        )
    return tuple(_read_section(s) for s in kept["sections"])


# -- writing ------------------------------------------------------------------------------------
def _section(section: ReportSection) -> dict[str, Any]:
    return {
        "key": section.key,
        "heading": section.heading,
        "narrative": section.narrative,
        "figures": [[f.key, f.label, f.value, f.detail] for f in section.figures],
        "charts": [_chart(c) for c in section.charts],
        "tables": [_table(t) for t in section.tables],
        "empty_words": section.empty_words,
    }


def _chart(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "kind": chart.kind.value,
        "categories": list(chart.categories),
        "series": [
            {
                "name": s.name,
                "values": [_value(v) for v in s.values],
                "drills": [_drill(d) for d in s.drills],
            }
            for s in chart.series
        ],
        "unit": chart.unit.value,
        "note": chart.note,
    }


def _drill(drill: Drill | None) -> dict[str, Any] | None:
    if drill is None:
        return None
    return {"kind": drill.kind, "filters": dict(drill.filters), "title": drill.title}


def _table(table: ReportTable) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": list(table.columns),
        "kinds": list(table.kinds),
        "rows": [[_value(v) for v in row] for row in table.rows],
        "note": table.note,
    }


def _value(value: object) -> object:
    """A cell or a chart's value: JSON's own types as they are, the others tagged."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


# -- reading ------------------------------------------------------------------------------------
def _read_section(kept: dict[str, Any]) -> ReportSection:
    return ReportSection(
        key=kept["key"],
        heading=kept["heading"],
        narrative=kept["narrative"],
        figures=tuple(Figure(*f) for f in kept["figures"]),
        charts=tuple(_read_chart(c) for c in kept["charts"]),
        tables=tuple(_read_table(t) for t in kept["tables"]),
        empty_words=kept["empty_words"],
    )


def _read_chart(kept: dict[str, Any]) -> Chart:
    return Chart(
        key=kept["key"],
        title=kept["title"],
        kind=ChartKind(kept["kind"]),
        categories=tuple(kept["categories"]),
        series=tuple(
            Series(
                s["name"],
                tuple(_read_value(v) for v in s["values"]),  # type: ignore[misc]
                tuple(_read_drill(d) for d in s["drills"]),
            )
            for s in kept["series"]
        ),
        unit=Unit(kept["unit"]),
        note=kept["note"],
    )


def _read_drill(kept: dict[str, Any] | None) -> Drill | None:
    if kept is None:
        return None
    return Drill(kept["kind"], dict(kept["filters"]), kept["title"])


def _read_table(kept: dict[str, Any]) -> ReportTable:
    return ReportTable(
        title=kept["title"],
        columns=tuple(kept["columns"]),
        kinds=tuple(kept["kinds"]),
        rows=tuple(tuple(_read_value(v) for v in row) for row in kept["rows"]),
        note=kept["note"],
    )


def _read_value(kept: object) -> object:
    if isinstance(kept, dict):
        if "decimal" in kept:
            return Decimal(kept["decimal"])
        if "datetime" in kept:
            return datetime.fromisoformat(kept["datetime"])
        if "date" in kept:
            return date.fromisoformat(kept["date"])
    return kept
