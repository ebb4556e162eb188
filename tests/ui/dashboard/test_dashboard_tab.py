"""The Dashboard tab on the demo data: first in the window, each tile and chart showing the
service's figures, each opening the list behind it; the as-at day and the years change them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_databases import demo_database
from offline_records import change_school
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QPieSeries
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel
from qt_driving import click_tab, menu_action, press

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Unit
from thep_desktop.services.dashboard.dashboard_data import AREAS, Dashboard, Tile
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.dashboard.dashboard_tab import NEEDS_ACTION, DashboardTab
from thep_desktop.ui.dashboard.records_behind_dialog import RecordsBehindDialog
from thep_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "user-config"))


@pytest.fixture(scope="module")
def demo_file(request: pytest.FixtureRequest) -> Iterator[Path]:
    """The demo, loaded once for the module; each test works on a copy of its file."""
    with demo_database(request, "sqlite") as db:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = db.sqlite_path
        assert path is not None
        db.dispose()
        yield path


@pytest.fixture
def services(demo_file: Path, tmp_path: Path, actor: Actor) -> Iterator[Services]:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_file, path)
    db = Database(path)
    yield Services(db, actor)
    db.dispose()


@pytest.fixture
def opened(window: MainWindow) -> list[QDialog]:
    """The lists the dashboard opens, shown without a blocking exec(), kept here."""
    shown: list[QDialog] = []

    def run(dialog: QDialog) -> None:
        shown.append(dialog)
        dialog.show()

    window.dashboard_tab.run_dialog = run
    return shown


def mnemonic(text: str) -> str:
    return text.split("&", 1)[1][0].casefold()


def service_dashboard(services: Services, as_at: date | None = None, years: int = 4) -> Dashboard:
    return services.dashboard.dashboard(
        services.actor, as_at or date.today(), inspection_years=years
    )


def written(value: int | Decimal, unit: Unit) -> str:
    """How a figure must read on its tile."""
    if unit is Unit.MONEY:
        return f"£{Decimal(value):,.2f}"
    if unit is Unit.PERCENT:
        return f"{Decimal(value):.1f}%"
    return f"{int(value):,}"


def counted_tiles(dashboard: Dashboard) -> list[Tile]:
    """Tiles that count records and open their list: the list's rows are the figure."""
    return [t for t in dashboard.tiles if t.unit is Unit.COUNT and t.drill is not None]


def drawn(chart: Chart) -> list[tuple[str, list[float]]]:
    return [(s.name, [float(v) for v in s.values]) for s in chart.series]


def rows_of(dialog: QDialog) -> int:
    assert isinstance(dialog, RecordsBehindDialog)
    return dialog.proxy.rowCount()


# -- where the tab is ------------------------------------------------------------------------
def test_the_dashboard_is_the_first_tab_and_in_view_on_a_database_with_data(
    window: MainWindow,
) -> None:
    assert window.tabs.widget(0) is window.dashboard_tab
    assert window.tabs.tabText(0) == "&Dashboard"
    assert window.tabs.currentWidget() is window.dashboard_tab
    # Alt+D is the tab's alone: no menu of the bar has D as its letter.
    menus = [a.text() for a in window.menuBar().actions()]
    letters = [mnemonic(text) for text in menus if "&" in text]
    assert "d" not in letters
    # Nor do the tab's own Alt keys (As at, Inspections older than) take a menu's or a tab's.
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    taken = letters + [mnemonic(text) for text in tabs if "&" in text]
    tab = window.dashboard_tab
    own = [
        mnemonic(w.text())
        for w in (*tab.findChildren(QLabel), *tab.findChildren(QAbstractButton))
        if "&" in w.text().replace("&amp;", "") and w.window() is window
    ]
    assert own and not set(own) & set(taken), (own, taken)
    assert window.dashboard_tab.isVisible()


def test_an_empty_database_opens_on_schools_with_the_dashboard_first(
    qtbot, sqlite_db: Database, actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(window)
    window.show()
    window.load()
    assert window.tabs.widget(0) is window.dashboard_tab
    assert window.tabs.currentWidget() is window.schools_tab
    # Shown anyway, it says there is nothing yet instead of a wall of zeros.
    window.tabs.setCurrentWidget(window.dashboard_tab)
    empty = window.dashboard_tab.findChild(object, "dashboard_empty")
    dashboard = window.dashboard_tab.dashboard
    assert dashboard is not None and dashboard.is_empty
    if not any(dashboard.in_area(area)[0] or dashboard.in_area(area)[1] for area, _ in AREAS):
        assert empty is not None and "no figures to show yet" in empty.text()


# -- tiles -----------------------------------------------------------------------------------
def test_each_tile_shows_the_services_figure_in_its_area(
    window: MainWindow, services: Services
) -> None:
    tab = window.dashboard_tab
    expected = service_dashboard(services)
    assert expected.tiles, "the demo gives the dashboard its figures"
    assert list(tab.tiles) == [t.key for t in expected.tiles]
    for tile in expected.tiles:
        widget = tab.tiles[tile.key]
        assert widget.value_label.text() == written(tile.value, tile.unit), tile.key
        assert widget.label_label.text() == tile.label
        assert widget.detail_label.text() == tile.detail
        # A tile to act on says so in words, not in colour alone.
        assert (widget.warn_label is not None) == tile.warn, tile.key
        if tile.warn:
            assert widget.warn_label is not None and widget.warn_label.text() == NEEDS_ACTION
        # In its area's box.
        box = widget.parent()
        assert box is not None and box.objectName() == f"area:{tile.area}"
    # The areas in their order, each titled.
    boxes = [
        b.objectName().split(":", 1)[1]
        for b in tab.content.findChildren(object)
        if b.objectName().startswith("area:")
    ]
    assert boxes == [a for a, _ in AREAS if any(expected.in_area(a))]


def test_clicking_a_tile_opens_the_list_it_counts(
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    assert tab.dashboard is not None
    tiles = counted_tiles(tab.dashboard)
    assert tiles
    for tile in tiles:
        widget = tab.tiles[tile.key]
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        dialog = opened[-1]
        assert rows_of(dialog) == tile.value, tile.key
        assert tile.drill is not None
        assert dialog.windowTitle() == (
            f"{dialog.drill_list.title} as at {format_date(date.today())}"
        )
        assert dialog.drill_list.kind == tile.drill.kind
        dialog.close()
    assert len(opened) == len(tiles)


def test_enter_or_space_on_a_focused_tile_opens_its_list(
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    assert tab.dashboard is not None
    first, *rest = counted_tiles(tab.dashboard)
    widget = tab.tiles[first.key]
    press(qtbot, widget, Qt.Key.Key_Return)
    assert len(opened) == 1 and rows_of(opened[0]) == first.value
    opened[0].close()
    # Tab moves to the next tile; Space opens it.
    if rest:
        widget.setFocus()
        second = next(iter(k for k in tab.tiles if k != first.key))
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        assert tab.tiles[second].hasFocus()
        qtbot.keyClick(tab.tiles[second], Qt.Key.Key_Space)
        assert len(opened) == 2
        assert opened[1].drill_list.kind == tab.tiles[second].tile.drill.kind  # type: ignore[union-attr]


# -- charts ----------------------------------------------------------------------------------
def test_each_chart_draws_the_services_series(window: MainWindow, services: Services) -> None:
    tab = window.dashboard_tab
    expected = service_dashboard(services)
    assert expected.charts
    assert list(tab.charts) == [c.key for c in expected.charts]
    for chart in expected.charts:
        panel = tab.charts[chart.key]
        if chart.is_empty:
            assert panel.qchart is None
            assert panel.empty_label is not None
            assert panel.empty_label.text() == f"Nothing to show for {chart.title.casefold()}."
            continue
        qchart = panel.qchart
        assert qchart is not None and qchart.title() == chart.title
        (series,) = qchart.series()
        if chart.kind is ChartKind.PIE:
            assert isinstance(series, QPieSeries)
            assert [s.value() for s in series.slices()] == drawn(chart)[0][1]
            assert [s.label().split(":")[0] for s in series.slices()] == list(chart.categories)
            continue
        assert isinstance(series, QAbstractBarSeries)
        assert (chart.kind is ChartKind.STACKED) == ("Stacked" in type(series).__name__)
        got = [
            (bar_set.label(), [bar_set.at(i) for i in range(bar_set.count())])
            for bar_set in series.barSets()
        ]
        # Sideways bars are drawn from the bottom up: the first category last, read at the top.
        order = slice(None, None, -1) if panel.horizontal else slice(None)
        assert got == [(name, values[order]) for name, values in drawn(chart)], chart.key
        (axis,) = [a for a in qchart.axes() if isinstance(a, QBarCategoryAxis)]
        assert axis.categories() == list(chart.categories)[order]


def test_clicking_a_bar_or_a_slice_opens_its_points_list(
    window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.dashboard_tab
    assert tab.dashboard is not None
    clicked = 0
    for chart in tab.dashboard.charts:
        panel = tab.charts[chart.key]
        if panel.qchart is None:
            continue
        (series,) = panel.qchart.series()
        for n, data in enumerate(chart.series):
            for i, value in enumerate(data.values):
                drill = chart.drill_at(n, i)
                if drill is None or not value:
                    continue
                if isinstance(series, QPieSeries):
                    series.slices()[i].clicked.emit()
                else:
                    series.barSets()[n].clicked.emit(panel.drawn_order.index(i))
                clicked += 1
                dialog = opened[-1]
                assert isinstance(dialog, RecordsBehindDialog)
                assert dialog.drill_list.kind == drill.kind
                if chart.unit is Unit.COUNT:
                    assert rows_of(dialog) == value, (chart.key, data.name, i)
                dialog.close()
                break  # one point of each series is enough
    assert clicked, "some chart's points open their lists"
    assert len(opened) == clicked


# -- the day and the years -------------------------------------------------------------------
def test_the_as_at_day_changes_the_figures(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    today = tab.dashboard
    assert today is not None
    earlier = date(date.today().year - 2, 3, 15)
    tab.as_at_edit.clear()
    qtbot.keyClicks(tab.as_at_edit, format_date(earlier))
    press(qtbot, tab.as_at_edit, Qt.Key.Key_Return)
    assert tab.dashboard is not None and tab.dashboard.as_at == earlier
    assert tab.dashboard.figures() == service_dashboard(services, earlier).figures()
    assert tab.dashboard.figures() != today.figures()
    assert f"as at {format_date(earlier)}" in tab.statements_label.text()
    for tile in tab.dashboard.tiles:
        assert tab.tiles[tile.key].value_label.text() == written(tile.value, tile.unit)


def test_a_day_that_is_not_a_date_is_said_in_words_and_the_figures_stay(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    before = tab.dashboard
    tab.as_at_edit.clear()
    qtbot.keyClicks(tab.as_at_edit, "31/02/2026")
    press(qtbot, tab.as_at_edit, Qt.Key.Key_Return)
    assert tab.error_label.isVisible()
    assert "is not a date" in tab.error_label.text() and "dd/mm/yyyy" in tab.error_label.text()
    assert tab.dashboard is before


def test_the_years_box_changes_which_inspections_count_as_old(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    assert tab.years_spin.value() == 4
    four = tab.dashboard
    assert four is not None
    for _ in range(3):
        press(qtbot, tab.years_spin, Qt.Key.Key_Down)
    assert tab.years_spin.value() == 1
    assert tab.dashboard is not None and tab.dashboard.inspection_years == 1
    one_year = service_dashboard(services, years=1)
    assert tab.dashboard.figures() == one_year.figures()
    old = one_year.tile("inspection.older_than_years")
    assert old.value > four.tile("inspection.older_than_years").value
    assert tab.tiles[old.key].value_label.text() == written(old.value, old.unit)


# -- keeping up with the other tabs --------------------------------------------------------------
def _member_school_not_causing_concern(services: Services) -> int:
    statuses = services.members.statuses_of_schools(services.actor)
    for row in services.schools.list_schools(services.actor):
        if statuses.get(row.id) == "Full member" and not row.causing_concern:
            return int(row.urn)
    raise AssertionError("the demo has member schools not causing concern")


def test_a_change_saved_elsewhere_shows_when_the_dashboard_is_next_in_view(
    window: MainWindow, services: Services
) -> None:
    before = window.dashboard_tab.dashboard
    assert before is not None
    window.tabs.setCurrentWidget(window.schools_tab)
    change_school(services, _member_school_not_causing_concern(services), causing_concern=True)
    window.schools_tab.status_message.emit("Saved.")  # what the Schools tab says on a save
    assert window.dashboard_tab.dashboard is before  # not worked out while out of view
    window.tabs.setCurrentWidget(window.dashboard_tab)
    after = window.dashboard_tab.dashboard
    assert after is not None and after.figures() == service_dashboard(services).figures()
    key = "inspection.causing_concern"
    assert after.tile(key).value == before.tile(key).value + 1
    assert window.dashboard_tab.tiles[key].value_label.text() == str(after.tile(key).value)


def test_edit_reload_works_the_figures_out_again(window: MainWindow, services: Services) -> None:
    before = window.dashboard_tab.dashboard
    assert before is not None
    change_school(services, _member_school_not_causing_concern(services), causing_concern=True)
    menu_action(window, "Edit", "Reload").trigger()  # F5
    after = window.dashboard_tab.dashboard
    assert after is not None and after is not before
    assert after.figures() == service_dashboard(services).figures() != before.figures()


def test_the_dashboard_alone_reads_with_the_refresh_button(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    tab = DashboardTab(services)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.dashboard is None
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    assert tab.dashboard is not None
    assert tab.dashboard.figures() == service_dashboard(services).figures()


# -- screenshots -----------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_tab_scrolls_in_a_small_window(
    qtbot, window: MainWindow, size: tuple[int, int], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.resize(*size)
    qtbot.wait(10)
    tab = window.dashboard_tab
    bar = tab.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0  # five areas never fit: the tab scrolls
    # Nothing is squeezed sideways: every tile keeps its width and there is no sideways bar.
    assert tab.scroll_area.horizontalScrollBar().maximum() == 0
    for widget in tab.tiles.values():
        assert widget.width() >= widget.minimumWidth()
    image = window.grab()
    assert not image.isNull()
    image.save(str(tmp_path / f"dashboard-{size[0]}.png"))


def test_the_top_bar_names_the_day_and_the_academic_year(window: MainWindow) -> None:
    tab = window.dashboard_tab
    assert tab.dashboard is not None
    assert tab.as_at_edit.text() == format_date(date.today())
    assert tab.statements_label.text() == (
        f"Academic year {tab.dashboard.year.label}; figures as at {format_date(date.today())}"
    )


def test_the_status_bar_names_the_dashboards_day(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    assert tab.dashboard is not None and window.tabs.currentWidget() is tab
    year = tab.dashboard.year.label
    assert window.count_label.text() == f"Figures as at {format_date(date.today())} ({year})"
    earlier = date(date.today().year - 2, 3, 15)
    tab.as_at_edit.clear()
    qtbot.keyClicks(tab.as_at_edit, format_date(earlier))
    press(qtbot, tab.as_at_edit, Qt.Key.Key_Return)
    label = f"{earlier.year - 1}/{str(earlier.year)[2:]}"
    assert window.count_label.text() == f"Figures as at {format_date(earlier)} ({label})"
    click_tab(qtbot, window.tabs, window.schools_tab)
    assert window.count_label.text() == window.schools_tab.count_label.text()
    assert window.count_label.text().endswith("schools shown")
    click_tab(qtbot, window.tabs, tab)
    assert window.count_label.text() == f"Figures as at {format_date(earlier)} ({label})"


def test_find_on_the_dashboard_looks_for_a_school(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tile = next(iter(window.dashboard_tab.tiles.values()))
    press(qtbot, tile, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.schools_tab
    assert window.schools_tab.search.hasFocus()


def test_a_charts_points_open_their_lists_from_the_keyboard(
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:  # type: ignore[no-untyped-def]
    tab = window.dashboard_tab
    assert tab.dashboard is not None
    chart = tab.dashboard.chart("inspection.by_outcome")
    panel = tab.charts[chart.key]
    assert panel.view is not None and panel.point_label is not None
    # The first point with records behind it, reached with the arrow keys from the first.
    target = next(i for i, v in enumerate(chart.series[0].values) if v and i > 0)
    press(qtbot, panel.view, Qt.Key.Key_Home)  # any key but the arrows changes nothing
    assert panel.point == (0, 0)
    forward = Qt.Key.Key_Down if panel.horizontal else Qt.Key.Key_Right
    for _ in range(target):
        press(qtbot, panel.view, forward)
    assert panel.point == (0, target)
    value = chart.series[0].values[target]
    assert panel.point_label.isVisible()
    assert panel.point_label.text() == (
        f"Chosen: {chart.categories[target]}: {value}; Enter opens its list. "
        "(Arrow keys choose another.)"
    )
    press(qtbot, panel.view, Qt.Key.Key_Return)
    assert len(opened) == 1 and rows_of(opened[0]) == value
    drill = chart.drill_at(0, target)
    assert drill is not None and opened[0].drill_list.kind == drill.kind


def test_coming_back_to_the_dashboard_shows_any_change_made_meanwhile(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    before = window.dashboard_tab.dashboard
    assert before is not None
    click_tab(qtbot, window.tabs, window.schools_tab)
    # Saved where no tab says so (an import, a window of a menu): read on coming back.
    change_school(services, _member_school_not_causing_concern(services), causing_concern=True)
    click_tab(qtbot, window.tabs, window.dashboard_tab)
    after = window.dashboard_tab.dashboard
    key = "inspection.causing_concern"
    assert after is not None and after.tile(key).value == before.tile(key).value + 1
    assert window.dashboard_tab.tiles[key].value_label.text() == str(after.tile(key).value)


def test_a_list_the_service_refuses_is_said_in_words_in_the_tab(
    window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.dashboard_tab
    tab.open_drill(Drill("no_such_list", {}, "Nothing"))
    assert opened == []
    assert tab.error_label.isVisible()
    assert (
        tab.error_label.text() == "The list could not be read: There is no list of 'no_such_list'."
    )
    assert window.statusBar().currentMessage() == tab.error_label.text()
    # The next good figures put the message away.
    tab.refresh_button.click()
    assert not tab.error_label.isVisible()


def test_a_school_in_a_tiles_list_opens_its_profile_with_enter(
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:  # type: ignore[no-untyped-def]
    """Causing concern -> the list of those schools -> Enter on one: its profile window."""
    from thep_desktop.ui.schools.school_profile_window import SchoolProfileWindow

    tab = window.dashboard_tab
    qtbot.mouseClick(
        tab.tiles["inspection.causing_concern"], Qt.MouseButton.LeftButton, pos=QPoint(20, 20)
    )
    dialog = opened[-1]
    assert isinstance(dialog, RecordsBehindDialog)
    assert dialog.proxy.rowCount() > 0
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.proxy.index(0, 0))
    source = dialog.proxy.mapToSource(dialog.proxy.index(0, 0))
    urn = dialog.drill_list.rows[source.row()].urn
    assert urn is not None
    press(qtbot, dialog.table, Qt.Key.Key_Return)
    profiles = [w for w in dialog.findChildren(SchoolProfileWindow) if w.urn == urn]
    assert len(profiles) == 1
    profile = profiles[0]
    assert profile.isVisible()
    assert str(urn) in profile.summary.text()
    profile.close()


def test_the_annual_report_opens_from_the_button_and_ctrl_shift_a(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop.ui.annual_report.annual_report_dialog import AnnualReportDialog

    def reports() -> list[AnnualReportDialog]:
        return [w for w in window.findChildren(AnnualReportDialog) if w.isVisible()]

    qtbot.mouseClick(window.dashboard_tab.annual_report_button, Qt.MouseButton.LeftButton)
    assert len(reports()) == 1
    reports()[0].close()
    qtbot.waitUntil(lambda: not reports())
    window.dashboard_tab.setFocus()
    press(
        qtbot,
        window.dashboard_tab,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(reports()) == 1
    assert menu_action(window, "Governance", "Annual report to the Advisory Council…").isEnabled()
    reports()[0].close()
