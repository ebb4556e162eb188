"""Fixtures for the import tests: the GIAS import service on each test's database."""

from __future__ import annotations

import pytest

from thep_desktop.database import Database
from thep_desktop.services.import_export.gias_import import GiasImportService


@pytest.fixture
def service(db: Database) -> GiasImportService:
    return GiasImportService(db)
