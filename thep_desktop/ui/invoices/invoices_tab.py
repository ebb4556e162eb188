"""The Invoices tab: every invoice and credit note, its filters, running totals and actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import parse_date
from thep_desktop.services.invoices.invoice_data import CustomerChoice, InvoiceRow, RunningTotals
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServerUnavailableError, ServiceError
from thep_desktop.ui.invoices.invoice_actions import InvoiceActions
from thep_desktop.ui.invoices.invoices_table_model import (
    COL_CUSTOMER,
    COL_DATE,
    STATUS_CHOICES,
    InvoiceFilterChoice,
    InvoicesFilterProxy,
    InvoicesTableModel,
)
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import INVALID_STYLE, date_field, searchable_combo
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import display_value
from thep_desktop.ui.shared.questions import ask, tell
from thep_desktop.ui.shared.tab_actions import TabAction, TabActions
from thep_desktop.ui.shared.table_export import ExportRequest

ALL_CUSTOMERS = "All customers"

# The sections of the Invoices menu, the toolbar and the context menu, in order. Another part
# of the program adds its actions to one of these with :meth:`InvoicesTab.add_action`.
NEW, SELECTED, PAYMENTS, OUTPUT, LIST, SETTINGS = (
    "new",
    "selected",
    "payments",
    "output",
    "list",
    "settings",
)
SECTIONS = (NEW, SELECTED, PAYMENTS, OUTPUT, LIST, SETTINGS)


def totals_text(totals: RunningTotals, drafts_shown: int) -> str:
    """The running totals above the list, in words (overdue in red when there is any)."""

    def money(value: object) -> str:
        return display_value(value, "money") or "£0.00"

    overdue = f"<b>{money(totals.overdue)}</b> overdue"
    if totals.overdue > 0:
        overdue = f"<span style='color:#b00020'>{overdue}</span>"
    parts = [
        f"<b>{money(totals.issued)}</b> issued "
        f"({totals.count:,} invoice{'' if totals.count == 1 else 's'})",
        f"<b>{money(totals.paid)}</b> paid",
        f"<b>{money(totals.credited)}</b> credited",
        f"<b>{money(totals.outstanding)}</b> outstanding",
        overdue,
        f"<b>{drafts_shown:,}</b> draft{'' if drafts_shown == 1 else 's'}",
    ]
    return " &nbsp;·&nbsp; ".join(parts)


class InvoicesTab(InvoiceActions, TabActions, QWidget):
    """Invoices and credit notes; emits ``status_message`` for the status bar."""

    status_message = Signal(str)
    counts_changed = Signal()
    loaded = Signal()  # the list was read again (in the background) and is shown
    changed = Signal()  # an invoice was saved, issued or credited here
    export_requested = Signal()  # Export list to Excel: the window's File > Export does it
    SECTIONS = SECTIONS

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask = ask
        self.tell = tell
        # Opens the forms; tests replace it to drive a form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        # Where Print / Save PDF asks for a file, and how a preview is opened: tests replace them.
        self.ask_save_path = QFileDialog.getSaveFileName
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.today = date.today()
        self.customers: list[CustomerChoice] = []
        self.load_job: BackgroundJob | None = None
        self.pdf_job: BackgroundJob | None = None
        self.preview_path: Path | None = None  # the last preview's PDF
        self._load_again = False
        self._select_after_load: list[int] | None = None
        self.tab_actions: list[TabAction] = []
        self._toolbar_section = ""
        self.table_menu: QMenu | None = None
        self.model = InvoicesTableModel(self)
        self.proxy = InvoicesFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.build_invoice_actions()
        self._connect()
        self.update_actions()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("invoice_search")
        self.search.setPlaceholderText("Search by number, customer or reference")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search, 2)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("invoice_status_filter")
        for label, value in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        self.customer_filter = searchable_combo("Type part of a customer's name", 220)
        self.customer_filter.setObjectName("invoice_customer_filter")
        self.customer_filter.addItem(ALL_CUSTOMERS, None)
        self.date_from = date_field(hint="Only invoices dated on or after this day")
        self.date_from.setObjectName("invoice_date_from")
        self.date_to = date_field(hint="Only invoices dated on or before this day")
        self.date_to.setObjectName("invoice_date_to")
        for caption, widget in (
            ("S&tatus", self.status_filter),
            ("C&ustomer", self.customer_filter),
            ("&From", self.date_from),
            ("T&o", self.date_to),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        self.date_from.setMaximumWidth(110)
        self.date_to.setMaximumWidth(110)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("invoice_count_label")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.totals_label = QLabel("Reading the invoices…")
        self.totals_label.setObjectName("invoice_totals")
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setWordWrap(True)
        self.totals_label.setToolTip(
            "Of the invoices shown (credit notes aside): what was issued, paid, credited and is "
            "still owed; overdue is what is owed past its due date today"
        )
        layout.addWidget(self.totals_label)

        self.toolbar = QToolBar("Invoices")
        self.toolbar.setObjectName("invoices_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        layout.addWidget(self.toolbar)

        self.table = list_view("invoices_table", self.proxy, sort_column=COL_DATE)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        # Several drafts are issued together, several invoices previewed or printed together.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(
            COL_CUSTOMER, QHeaderView.ResizeMode.Stretch
        )
        self.table.verticalHeader().setDefaultSectionSize(24)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.customer_filter.currentIndexChanged.connect(self._filter_changed)
        for edit in (self.date_from, self.date_to):
            edit.textChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_actions())
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.customContextMenuRequested.connect(self._table_menu_requested)
        only_here = Qt.ShortcutContext.WidgetShortcut
        for key, widget, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.table, self.open_selected),
            (QKeySequence(Qt.Key.Key_Enter), self.table, self.open_selected),
            (QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected),
            (QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear),
        ):
            QShortcut(key, widget, activated=slot, context=only_here)

    # -- loading ----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.load_job is not None

    def reload(self, select_ids: Sequence[int] | None = None) -> bool:
        """Read the list again in the background, keeping the filters and the selection (or
        selecting ``select_ids``). The rows read last stay in view meanwhile."""
        if select_ids is not None:
            self._select_after_load = list(select_ids)
        if self.load_job is not None:
            self._load_again = True  # read once more when this read is done
            return True
        actor = self.services.actor
        invoices = self.services.invoices

        def read(_progress: object) -> tuple[list[InvoiceRow], list[CustomerChoice], date]:
            today = date.today()
            return invoices.list_invoices(actor), invoices.customer_choices(actor), today

        self.load_job = BackgroundJob(
            self, "", read, self._loaded, self._load_failed, show_dialog=False
        )
        self.load_job.start()
        return True

    def wait_loaded(self) -> None:
        """Finish a read or a PDF in progress now (before the tab or its database goes away)."""
        for job in (self.load_job, self.pdf_job):
            if job is not None and job.thread.isRunning():
                job.wait()

    def _job_done(self) -> bool:
        self.load_job = None
        if self._load_again:
            self._load_again = False
            self.reload()
            return False
        return True

    def _loaded(self, result: tuple[list[InvoiceRow], list[CustomerChoice], date]) -> None:
        if not self._job_done():
            return
        rows, customers, today = result
        wanted = self._select_after_load
        self._select_after_load = None
        selected = self.selected_ids() if wanted is None else wanted
        self.today = today
        self.customers = customers
        self._fill_customer_filter(rows)
        self.model.set_invoices(rows, today)
        self.proxy.set_filter(self._filter_choice(), today)
        self.table.resizeColumnsToContents()
        self.select_ids(selected)
        self.update_counts()
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        if not self._job_done():
            return
        if isinstance(exc, ServerUnavailableError):
            self.status_message.emit("Not reloaded: the invoices shown are as they were last read.")
        elif isinstance(exc, ServiceError):
            self.totals_label.setText(exc.message)
        else:
            raise exc
        self.loaded.emit()

    def _fill_customer_filter(self, rows: Sequence[InvoiceRow]) -> None:
        """The customers that have invoices, by name; the one chosen stays chosen."""
        combo = self.customer_filter
        chosen = combo.currentData()
        names = {r.customer_id: r.customer_name for r in rows}
        for choice in self.customers:
            if choice.customer_id in names:
                names[choice.customer_id] = choice.name
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_CUSTOMERS, None)
        for customer_id, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
            combo.addItem(name, customer_id)
        found = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    # -- filtering --------------------------------------------------------------------------
    def _date_of(self, edit: QLineEdit) -> date | None:
        """A filter date as typed; blank or unreadable: no limit (an unreadable one in red)."""
        text = edit.text().strip()
        edit.setStyleSheet("")
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            edit.setStyleSheet(INVALID_STYLE)
            return None

    def _filter_choice(self) -> InvoiceFilterChoice:
        customer = self.customer_filter.currentData()
        if self.customer_filter.currentText() != self.customer_filter.itemText(
            self.customer_filter.currentIndex()
        ):
            customer = None  # half-typed: every customer until one is chosen
        return InvoiceFilterChoice(
            status=self.status_filter.currentData() or "",
            customer_id=customer,
            date_from=self._date_of(self.date_from),
            date_to=self._date_of(self.date_to),
            words=tuple(self.search.text().casefold().split()),
        )

    def _filter_changed(self) -> None:
        selected = self.selected_ids()
        self.proxy.set_filter(self._filter_choice(), self.today)
        self.select_ids(selected)
        self.update_counts()

    def update_counts(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "invoice or credit note" if total == 1 else "invoices and credit notes"
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown"
        )
        rows = self.proxy.shown()
        self.totals_label.setText(
            totals_text(self.proxy.totals(), sum(1 for r in rows if r.is_draft))
        )
        self.counts_changed.emit()

    def filter_in_words(self) -> str:
        parts = []
        if self.status_filter.currentData():
            parts.append(f"status {self.status_filter.currentText()}")
        if self.customer_filter.currentData() is not None:
            parts.append(f"customer {self.customer_filter.currentText()}")
        for what, edit in (("from", self.date_from), ("to", self.date_to)):
            if self._date_of(edit) is not None:
                parts.append(f"{what} {edit.text()}")
        if self.search.text().strip():
            parts.append(f"search “{self.search.text().strip()}”")
        return f"Filter: {'; '.join(parts)}" if parts else ""

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def export_request(self) -> ExportRequest:
        """File > Export: the invoices as shown, to Excel or CSV."""
        return ExportRequest(self.table, "Invoices", self.filter_in_words(), "Invoices")

    # -- selection --------------------------------------------------------------------------
    def selected_rows(self) -> list[InvoiceRow]:
        """The invoices selected, top to bottom as shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.proxy.invoice_at(r) for r in rows]

    def selected_ids(self) -> list[int]:
        return [r.id for r in self.selected_rows()]

    def _table_menu_requested(self, position: QPoint) -> None:
        """Right-click on an invoice: what the toolbar does, for the invoices selected."""
        self.popup_table_menu(position, "invoice_menu")
