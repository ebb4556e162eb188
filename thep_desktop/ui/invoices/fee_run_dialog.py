"""Invoices > Fee run…: preview a year's (or a fee period's) membership fees, make the drafts,
issue them all, and save the whole run as one PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.fees import FeePeriod, money
from thep_desktop.services.invoices.fee_runs_service import (
    FeeRunPreview,
    FeeRunResult,
    FeeRunState,
    charged_periods,
    period_label,
)
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.registry import Services
from thep_desktop.ui.invoices.money_dialog_parts import (
    PDF_FILTER,
    AskPath,
    ask_save,
    close_buttons,
    default_ask_path,
    message_line,
    numbers_text,
    plural,
    run_job,
    say,
    typed_date,
)
from thep_desktop.ui.shared.forms import date_field, push_button
from thep_desktop.ui.shared.list_views import list_view
from thep_desktop.ui.shared.plain_table_model import PlainColumn, PlainTableModel
from thep_desktop.ui.shared.questions import Ask, ask

WHOLE_YEAR = "The whole year"
ISSUE = "Issue them all"
CANCEL = "Cancel"
COLUMNS = (
    PlainColumn("State", tooltip="To bill, already billed, no pupil figure, nothing to pay"),
    PlainColumn("Member"),
    PlainColumn("URN", "integer"),
    PlainColumn("Category"),
    PlainColumn("Amount", "money"),
    PlainColumn("Working", tooltip="How the fee was worked out"),
    PlainColumn("Invoice", tooltip="The invoice that already bills it"),
)
# The ones not billed come first: they are what the treasurer must look at.
_STATE_ORDER = {
    FeeRunState.ALREADY_BILLED: 0,
    FeeRunState.NO_PUPIL_FIGURE: 1,
    FeeRunState.NOTHING_TO_PAY: 2,
    FeeRunState.TO_BILL: 3,
}


class FeeRunDialog(QDialog):
    """The fee run in three steps: Preview, Create drafts, then Issue all and Save as PDF."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.ask: Ask = ask
        self.ask_save_path: AskPath = default_ask_path
        self.on_changed: Callable[[], object] = lambda: None  # the tab reloads its list
        self.preview_result: FeeRunPreview | None = None
        self.run_result: FeeRunResult | None = None
        # The run Issue all and Save as PDF act on: the one just made, or the last one made
        # earlier for the same year and period (its drafts may still wait to be issued).
        self.run_id: int | None = None
        self.run_drafts = 0
        self.run_total = Decimal("0.00")
        self.issued: Any = None
        self.job: Any = None
        self.setWindowTitle("Fee run")
        self.setObjectName("fee_run_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Bill every member its membership fee for an academic year, or for one of the "
            "year's charged fee periods. Preview first: members already billed for the "
            "period and members without a pupil figure are listed first and are not billed."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.schedules = {s.year.label: s for s in services.fees.list_schedules(services.actor)}
        for label in sorted(self.schedules, reverse=True):
            self.year.addItem(label)
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.invoice_date = date_field(format_date(date.today()), "The date on the invoices")
        self.invoice_date.setObjectName("invoice_date")
        self.invoice_date.setMaximumWidth(130)
        form.addRow("Academic &year", self.year)
        form.addRow("Fee &period", self.period)
        form.addRow("Invoice &date", self.invoice_date)
        layout.addLayout(form)
        self.year.currentIndexChanged.connect(lambda _i: self._year_chosen())
        self.period.currentIndexChanged.connect(lambda _i: self._choice_changed())
        self.invoice_date.textChanged.connect(lambda _t: self._choice_changed())

        self.summary = QLabel()
        self.summary.setObjectName("fee_run_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = PlainTableModel(COLUMNS, parent=self)
        self.table = list_view("fee_run_rows", self.model, sort_column=None)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = message_line("fee_run_message")
        layout.addWidget(self.message)

        steps = QHBoxLayout()
        self.preview_button = push_button(
            "&Preview", self.preview, "Work out each member's fee; nothing is saved"
        )
        self.drafts_button = push_button(
            "&Create drafts", self.create_drafts, "A draft invoice for each member to bill"
        )
        self.issue_button = push_button(
            "&Issue all…", self.issue_all, "Number and issue every draft of this run"
        )
        self.pdf_button = push_button(
            "&Save all as one PDF…", self.save_pdf, "Every invoice of this run in one PDF"
        )
        for button in (self.preview_button, self.drafts_button, self.issue_button, self.pdf_button):
            button.setAutoDefault(False)
            steps.addWidget(button)
        steps.addStretch(1)
        layout.addLayout(steps)
        layout.addWidget(close_buttons(self))
        self.resize(980, 620)
        if not self.schedules:
            say(
                self.message,
                "There is no fee schedule yet: set the year's fees in Memberships > Fee "
                "schedules… first.",
                problem=True,
            )
        self._year_chosen()

    # -- the choices -------------------------------------------------------------------------
    def _year_chosen(self) -> None:
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItem(WHOLE_YEAR, None)
        schedule = self.schedules.get(self.year.currentText())
        if schedule is not None:
            for period in charged_periods(schedule):
                self.period.addItem(period_label(period), period)
        self.period.blockSignals(False)
        self._choice_changed()

    def _choice_changed(self) -> None:
        """A new choice: the preview shown (and any run made) is for the old one."""
        self.preview_result = None
        self._forget_run()
        self.model.set_rows([])
        self.summary.clear()
        self._enable()

    def _forget_run(self) -> None:
        self.run_result = None
        self.run_id = None
        self.run_drafts = 0
        self.run_total = Decimal("0.00")
        self.issued = None

    def _find_earlier_run(self, preview: FeeRunPreview) -> None:
        """The last run made for this year and period, to issue its drafts or print it."""
        period = preview.period
        wanted = (period.starts_on, period.ends_on) if period is not None else (None, None)
        for run in self.services.fee_runs.runs(self.services.actor):  # newest first
            if run.year == preview.year and (run.period_starts_on, run.period_ends_on) == wanted:
                self.run_id, self.run_drafts, self.run_total = run.id, run.drafts, run.total
                made = f"{format_date(run.made_at.astimezone().date())} by {run.made_by}"
                waiting = (
                    f"; {plural(run.drafts, 'draft')} not yet issued: Issue all issues them"
                    if run.drafts
                    else ""
                )
                say(
                    self.message,
                    f"Preview only. The fee run for {run.what} was made on {made}: "
                    f"{plural(run.issued, 'invoice')} issued{waiting}.",
                )
                return

    def _enable(self) -> None:
        may = self.services.actor.can(MANAGE_INVOICES)
        has_year = bool(self.year.currentText())
        to_bill = self.preview_result is not None and self._count(FeeRunState.TO_BILL) > 0
        self.preview_button.setEnabled(has_year)
        self.drafts_button.setEnabled(may and to_bill and self.run_result is None)
        self.issue_button.setEnabled(may and self.run_drafts > 0 and self.issued is None)
        self.pdf_button.setEnabled(self.run_id is not None)

    def _args(self) -> tuple[str, FeePeriod | None, date | None] | None:
        day = typed_date(self.invoice_date.text())
        if day is None:
            say(
                self.message,
                "Invoice date: type the date as dd/mm/yyyy, e.g. 01/09/2026.",
                problem=True,
            )
            self.invoice_date.setFocus()
            return None
        return self.year.currentText(), self.period.currentData(), day

    # -- step 1: preview ---------------------------------------------------------------------
    def preview(self) -> None:
        args = self._args()
        if args is None:
            return
        year, period, day = args
        try:
            result = self.services.fee_runs.preview(self.services.actor, year, period, day)
        except OfficeError as exc:
            say(self.message, str(exc), problem=True)
            return
        self._forget_run()
        self.preview_result = result
        rows = sorted(result.rows, key=lambda r: (_STATE_ORDER[r.state], r.name.casefold()))
        self.model.set_rows(
            [
                (
                    r.state.label,
                    r.name,
                    r.urn,
                    r.category.label,
                    r.amount,
                    r.problem or r.working,
                    r.billed_as,
                )
                for r in rows
            ]
        )
        self.table.resizeColumnsToContents()
        self.summary.setText(self._summary_text())
        say(self.message, "Preview only: nothing has been saved yet.")
        self._find_earlier_run(result)
        self._enable()

    def _count(self, state: FeeRunState) -> int:
        if self.preview_result is None:
            return 0
        return self.preview_result.counts[state]

    def _summary_text(self) -> str:
        result = self.preview_result
        assert result is not None
        to_bill = self._count(FeeRunState.TO_BILL)
        parts = [
            f"<b>{plural(to_bill, 'member')} to bill, {money(result.total)}</b>"
            if to_bill
            else "<b>Nobody is left to bill</b>"
        ]
        billed = self._count(FeeRunState.ALREADY_BILLED)
        missing = self._count(FeeRunState.NO_PUPIL_FIGURE)
        free = self._count(FeeRunState.NOTHING_TO_PAY)
        if billed:
            parts.append(f"{plural(billed, 'member')} already billed (not billed again)")
        if missing:
            parts.append(
                f"<span style='color:#b00020'>{plural(missing, 'member')} with no pupil "
                "figure (not billed: add their figures in the Schools tab)</span>"
            )
        if free:
            parts.append(f"{plural(free, 'member')} with nothing to pay")
        return "; ".join(parts) + "."

    # -- step 2: drafts ----------------------------------------------------------------------
    def create_drafts(self) -> None:
        args = self._args()
        if args is None or self.preview_result is None:
            return
        year, period, day = args
        actor = self.services.actor
        self.job = run_job(
            self,
            "Creating the draft invoices",
            lambda progress: self.services.fee_runs.create_drafts(
                actor, year, period, day, progress=progress
            ),
            self._drafts_made,
            self.message,
        )

    def _drafts_made(self, result: FeeRunResult) -> None:
        self.run_result = result
        if result.run_id is not None:
            self.run_id = result.run_id
            self.run_drafts = len(result.draft_ids)
            self.run_total = result.total
        text = result.message.replace("\n", " ")
        if result.already_billed:
            text += f" Already billed: {', '.join(result.already_billed)}."
        say(self.message, text)
        self._enable()
        self.on_changed()

    # -- step 3: issue and print ---------------------------------------------------------------
    def issue_all(self) -> None:
        if self.run_id is None:
            return
        count = self.run_drafts
        answer = self.ask(
            self,
            "Issue the fee run",
            f"Issue {plural(count, 'invoice')} totalling {money(self.run_total)}?\n\n"
            "Each gets its number now. Once issued they cannot be changed, only credited.",
            [ISSUE, CANCEL],
        )
        if answer != ISSUE:
            return
        actor = self.services.actor
        run_id = self.run_id
        self.job = run_job(
            self,
            "Issuing the invoices",
            lambda progress: self.services.fee_runs.issue_run(actor, run_id, progress),
            self._issued,
            self.message,
        )

    def _issued(self, result: Any) -> None:
        self.issued = result
        self.run_drafts = 0
        say(
            self.message,
            f"Issued {plural(len(result.numbers), 'invoice')}, "
            f"{numbers_text(result.numbers)}, totalling {money(result.total)}. "
            "Save them all as one PDF to print or send.",
        )
        self._enable()
        self.on_changed()

    def save_pdf(self) -> None:
        if self.run_id is None:
            return
        year = self.year.currentText().replace("/", "-")
        path = ask_save(
            self,
            self.ask_save_path,
            "Save the fee run's invoices",
            f"Fee run {year}.pdf",
            PDF_FILTER,
            ".pdf",
        )
        if path is None:
            return
        actor = self.services.actor
        run_id = self.run_id
        self.job = run_job(
            self,
            "Writing the invoices",
            lambda progress: self.services.invoice_documents.render_run(
                actor, run_id, path, progress
            ),
            lambda result: say(
                self.message,
                f"Saved {plural(result.documents, 'invoice')} ({plural(result.pages, 'page')}) "
                f"to {path}.",
            ),
            self.message,
        )
