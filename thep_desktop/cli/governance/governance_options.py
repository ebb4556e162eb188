"""What the ``governance`` commands share: finding a body, reading an academic year."""

from __future__ import annotations

from thep_desktop.cli.shared.output import CommandError
from thep_desktop.domain.academic_years import AcademicYear, AcademicYearError
from thep_desktop.services.governance.governance_data import BodyDetail
from thep_desktop.services.registry import Services

BODY_HELP = "a body by its name or code, in any case (e.g. Board of Directors, B, ac)"


def find_body(services: Services, name: str) -> BodyDetail:
    """The body named or coded ``name`` (any case); the service's refusal lists the bodies."""
    return services.governing_bodies.find_body(services.actor, name)


def academic_year(text: str) -> AcademicYear:
    try:
        return AcademicYear.parse(text)
    except AcademicYearError as exc:
        raise CommandError(str(exc)) from None
