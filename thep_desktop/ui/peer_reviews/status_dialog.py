"""A review moved to another step (confirmed, completed, report received, quality-assured)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.peer_reviews import QaOutcome, ReviewStatus
from thep_desktop.services.peer_reviews.review_data import ReviewDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import date_field


class StatusDialog(MembershipForm):
    """``StatusDialog(services, review, ReviewStatus.COMPLETED, parent)``: the day the step
    was reached (today unless typed), and for quality assurance what it found.

    Once saved, :attr:`result_value` holds the review as it now stands.
    """

    def __init__(
        self,
        services: Services,
        review: ReviewDetail,
        status: ReviewStatus,
        parent: QWidget | None = None,
    ) -> None:
        self.services = services
        self.review = review
        self.status = status
        self.on = date_field(format_date(date.today()), f"The day the review was {_done(status)}")
        self.on.setObjectName("on")
        self.on.setMaximumWidth(150)
        proposed_on = review.status_dates.get(ReviewStatus.PROPOSED)
        if status is ReviewStatus.PROPOSED and proposed_on is not None:
            # A review keeps the day it was first proposed: shown, not to be typed over.
            self.on.setText(format_date(proposed_on))
            self.on.setReadOnly(True)
            self.on.setClearButtonEnabled(False)
        self.outcome = QComboBox()
        self.outcome.setObjectName("qa_outcome")
        self.outcome.addItem("Choose what quality assurance found", None)
        # Qt keeps a str enum as plain text: the value goes in, the enum comes back out.
        for outcome in QaOutcome:
            self.outcome.addItem(outcome.label, outcome.value)
        if review.qa_outcome is not None:
            self.outcome.setCurrentIndex(self.outcome.findData(review.qa_outcome.value))
        self.qa_notes = QPlainTextEdit(review.qa_notes)
        self.qa_notes.setPlaceholderText("What the quality assurance found, and any advice")
        self.qa_notes.setMaximumHeight(90)
        fields: dict[str, tuple[str, QWidget]] = {"on": (f"&{status.label} on", self.on)}
        if status is ReviewStatus.QUALITY_ASSURED:
            fields["qa_outcome"] = ("&Outcome", self.outcome)
            fields["qa_notes"] = ("QA &notes", self.qa_notes)
        super().__init__(
            f"{status.label} – {review.host_name}",
            _intro(review, status),
            fields,
            self._set_status,
            parent,
            what="the review's status",
        )
        self.setObjectName("status_dialog")

    def _set_status(self) -> ReviewDetail:
        try:
            on = parse_date(self.on.text())
        except ValueError:
            raise ValidationError(
                {"on": f"“{self.on.text().strip()}” is not a date: type it as dd/mm/yyyy."}
            ) from None
        chosen = self.outcome.currentData()
        return self.services.reviews.set_status(
            self.services.actor,
            self.review.id,
            self.status,
            on,
            self.review.version,
            qa_outcome=QaOutcome(chosen) if chosen else None,
            qa_notes=self.qa_notes.toPlainText(),
        )


def _done(status: ReviewStatus) -> str:
    return {
        ReviewStatus.PROPOSED: "proposed",
        ReviewStatus.CONFIRMED: "confirmed with the schools",
        ReviewStatus.COMPLETED: "carried out",
        ReviewStatus.REPORT_RECEIVED: "reported on",
        ReviewStatus.QUALITY_ASSURED: "quality-assured",
    }[status]


def _intro(review: ReviewDetail, status: ReviewStatus) -> str:
    words = (
        f"The review at {review.host_name} ({review.visit_label}) is at “{review.status.label}”; "
        f"it becomes “{status.label}” on the day below."
    )
    if status.order < review.status.order:
        later = [s.label.lower() for s in ReviewStatus if s.order > status.order]
        words += f" Going back a step clears the dates of the later steps ({', '.join(later)})."
    return words
