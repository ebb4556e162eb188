"""Guards against known faults of the Qt binding that would crash the program in use."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Sender(QObject):
    changed = Signal(int, int)
    plain = Signal()


def test_emitting_signals_keeps_python_reference_counts(qapp) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0 dropped a reference to True on every emit; after a few hundred thousand
    emits (an hour of typing in the search box) Python 3.11 aborted with "bool_dealloc"."""
    sender = _Sender()
    received: list[int] = []
    sender.changed.connect(lambda shown, total: received.append(shown))
    sender.plain.connect(lambda: received.append(0))
    true_before, false_before = sys.getrefcount(True), sys.getrefcount(False)
    for number in range(500):
        sender.changed.emit(number, 1000)
        sender.plain.emit()
    assert len(received) == 1000
    assert sys.getrefcount(True) - true_before > -10  # the fault showed as -1000 here
    assert sys.getrefcount(False) - false_before > -10
