"""What the meeting editor's pages and dialogs share: typed dates, times and counts read with
words for what is wrong, the agenda items offered in a list, text shown as typed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time
from enum import StrEnum
from html import escape
from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QLineEdit

from thep_desktop.domain.dates import parse_date
from thep_desktop.services.governance.governance_data import AgendaItemDetail

WARNING_SIGN = "⚠"
WARNING_STYLE = "color: #8a4b00;"
ALARM_STYLE = "color: #b00020; font-weight: bold;"
GOOD_STYLE = "color: #1b5e20;"
# The live checks wait for a pause in the typing, so they run once per change, not per key.
PAUSE_MS = 300

E = TypeVar("E", bound=StrEnum)

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def html(text: str) -> str:
    """Text shown as typed in a rich-text label ("St Mary & St John" is not markup)."""
    return escape(text, quote=False)


def read_date(text: str) -> date | None | str:
    """A typed date, None when blank, or what is wrong with it in words."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except ValueError:
        return f"“{text.strip()}” is not a date: type it as dd/mm/yyyy."


def read_time(text: str) -> time | None | str:
    """A typed time (``18:30``, ``18.30``, ``6.30pm``, ``18``), None when blank, or words."""
    if not text.strip():
        return None
    match = _TIME.match(text)
    wrong = f"“{text.strip()}” is not a time: type it as 18:30."
    if not match:
        return wrong
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return wrong
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return wrong
    return time(hour, minute)


def read_count(edit: QLineEdit) -> int | None:
    """A count of votes typed (digits only: the box takes nothing else); None when blank."""
    text = edit.text().strip()
    return int(text) if text else None


def item_label(position: int, title: str) -> str:
    return f"{position}. {title}"


def fill_items(
    combo: QComboBox,
    items: Sequence[AgendaItemDetail],
    chosen: int | None,
    none_text: str | None = None,
) -> None:
    """The agenda items to choose from (their ids as data), ``none_text`` first if given."""
    combo.blockSignals(True)
    combo.clear()
    if none_text is not None:
        combo.addItem(none_text, None)
    for item in items:
        combo.addItem(item_label(item.position, item.title), item.id)
    index = combo.findData(chosen) if chosen is not None else -1
    combo.setCurrentIndex(index if index >= 0 else (0 if none_text is not None else -1))
    combo.blockSignals(False)


def chosen_enum(combo: QComboBox, kind: type[E]) -> E | None:
    """The choice of a drop-down filled with ``kind``'s members (Qt keeps them as their text)."""
    value = combo.currentData()
    return kind(value) if value is not None else None


def combo_value(combo: QComboBox) -> object:
    """The data of the entry chosen; None when nothing is (or what is typed is none of them)."""
    index = combo.currentIndex()
    if index < 0:
        return None
    if combo.isEditable() and combo.currentText() != combo.itemText(index):
        return None
    return combo.itemData(index)
