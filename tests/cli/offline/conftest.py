"""The offline copy's office helpers (tests/services/offline/offline_records.py), shared here."""

from __future__ import annotations

import sys
from pathlib import Path

# Test folders are not packages: the helpers' folder joins the path as each test's own does.
_HELPERS = str(Path(__file__).resolve().parents[2] / "services" / "offline")
if _HELPERS not in sys.path:
    sys.path.insert(0, _HELPERS)
