"""The demo's organisation profile fills the blanks and keeps what the office typed."""

from __future__ import annotations

from thep_desktop.database import Database
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.settings.organisation_service import OrganisationService
from thep_desktop.services.shared.actor import Actor


def test_organisation_profile_gets_the_la_code(db: Database, actor: Actor) -> None:
    organisation = OrganisationService(db)
    profile = organisation.get_profile(actor)
    profile.la_code = ""
    organisation.update_profile(actor, profile)
    DemoService(db).load(actor)
    assert organisation.get_profile(actor).la_code == "211"


def test_organisation_profile_keeps_its_own_la_code(db: Database, actor: Actor) -> None:
    organisation = OrganisationService(db)
    profile = organisation.get_profile(actor)
    profile.la_code = "209"
    organisation.update_profile(actor, profile)
    DemoService(db).load(actor)
    assert organisation.get_profile(actor).la_code == "209"
