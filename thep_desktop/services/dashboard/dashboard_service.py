"""The dashboard: each area's figures worked out in SQL, and the records behind any figure.

Each area's figures live in a module of their own (``membership_figures``,
``money_figures``, ``inspection_figures``, ``review_figures``, ``governance_figures``). Each
module gives:

- ``figures(session, at) -> (tiles, charts)``: its tiles and charts, in a fixed number of
  SQL statements whatever the size of the data (aggregates and GROUP BY in the database,
  never a loop over records in Python);
- ``DRILLS``: for each drill kind it names in its figures, a function
  ``(session, drill, at) -> DrillList`` listing exactly the records the figure counts.

The service counts the statements each call runs (``Dashboard.statements``); the benchmark
prints that count on the demo and on 25,000 schools, and a test checks it is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.reports.shared.chart_data import Chart, Drill
from thep_desktop.services.dashboard import (
    governance_figures,
    inspection_figures,
    membership_figures,
    money_figures,
    review_figures,
)
from thep_desktop.services.dashboard.dashboard_data import Dashboard, DrillList, Tile
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.services.shared.permissions import VIEW

DEFAULT_INSPECTION_YEARS = 4

AREA_MODULES = (
    membership_figures,
    inspection_figures,
    money_figures,
    review_figures,
    governance_figures,
)


@dataclass(frozen=True)
class DashboardAsAt:
    """The moment the dashboard describes: a day, its academic year, and the chosen
    number of years after which an inspection counts as old."""

    as_at: date
    year: AcademicYear
    inspection_years: int = DEFAULT_INSPECTION_YEARS

    @staticmethod
    def of(as_at: date, inspection_years: int = DEFAULT_INSPECTION_YEARS) -> DashboardAsAt:
        return DashboardAsAt(as_at, AcademicYear.of(as_at), inspection_years)


DrillFunction = Callable[[Session, Drill, DashboardAsAt], DrillList]


class DashboardService:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._session: Session | None = None

    @classmethod
    def in_session(cls, session: Session) -> DashboardService:
        """The same figures read in ``session``, a transaction already open that may hold
        records not yet committed (the demo's step for the annual report it marks final)."""
        service = cls.__new__(cls)
        service._session = session
        return service

    def _reading(self) -> AbstractContextManager[Session]:
        if self._session is not None:
            return nullcontext(self._session)
        return self.db.read_session()

    def dashboard(
        self,
        actor: Actor,
        as_at: date | None = None,
        *,
        inspection_years: int = DEFAULT_INSPECTION_YEARS,
    ) -> Dashboard:
        """Every tile and chart as at ``as_at`` (None: today)."""
        actor.require(VIEW)
        if not 1 <= inspection_years <= 20:
            raise ValidationError(
                {"inspection_years": "Choose between 1 and 20 years for old inspections."}
            )
        at = DashboardAsAt.of(as_at or date.today(), inspection_years)
        tiles: list[Tile] = []
        charts: list[Chart] = []
        with self._reading() as session, _counting(session) as counter:
            for module in AREA_MODULES:
                area_tiles, area_charts = module.figures(session, at)
                tiles += area_tiles
                charts += area_charts
        return Dashboard(
            as_at=at.as_at,
            year=at.year,
            inspection_years=at.inspection_years,
            tiles=tuple(tiles),
            charts=tuple(charts),
            statements=counter[0],
        )

    def records_behind(
        self,
        actor: Actor,
        drill: Drill,
        as_at: date | None = None,
        *,
        inspection_years: int = DEFAULT_INSPECTION_YEARS,
    ) -> DrillList:
        """The records a tile or a chart's bar counts, as a list to show."""
        actor.require(VIEW)
        function = _drills().get(drill.kind)
        if function is None:
            raise ValidationError({"drill": f"There is no list of {drill.kind!r}."})
        at = DashboardAsAt.of(as_at or date.today(), inspection_years)
        with self._reading() as session:
            return function(session, drill, at)


def _drills() -> dict[str, DrillFunction]:
    drills: dict[str, DrillFunction] = {}
    for module in AREA_MODULES:
        drills.update(module.DRILLS)
    return drills


@contextmanager
def _counting(session: Session) -> Iterator[list[int]]:
    """Count the SQL statements run on ``session``'s connection while inside."""
    counter = [0]
    connection = session.connection()

    def count(*_args: Any, **_kwargs: Any) -> None:
        counter[0] += 1

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(connection, "before_cursor_execute", count)
