"""The entry point of the desktop program: ``thep-desktop [--db URL]``, ``python -m thep_desktop``.

The program is Qt through and through, so it lives in :mod:`thep_desktop.ui.app` (no Qt
outside ``thep_desktop/ui``); this module keeps the entry point's name.
"""

from __future__ import annotations

from thep_desktop.ui.app import READY_MARKER, main

__all__ = ["READY_MARKER", "main"]
