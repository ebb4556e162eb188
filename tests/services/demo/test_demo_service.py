"""Demo data: a fictional borough that passes the register's own rules, on both databases."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.census import spring_census, spring_census_on_or_before
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.domain.validation import normalise_postcode
from thep_desktop.models import (
    Contact,
    OfstedInspection,
    OrganisationProfile,
    School,
    SchoolNote,
    SchoolStatus,
    StaffMember,
)
from thep_desktop.services.demo.demo_borough import CENSUS_DAY, STAFF
from thep_desktop.services.demo.demo_members import FOUNDING_CENSUS
from thep_desktop.services.demo.demo_service import DemoService, DemoSummary
from thep_desktop.services.schools.school_census import CensusFigure, pupils_at
from thep_desktop.services.schools.school_checks import check_school
from thep_desktop.services.schools.school_choices import (
    CONTACT_ROLES,
    ESTABLISHMENT_TYPES,
    OFSTED_GRADES,
    PHASES,
)
from thep_desktop.services.schools.schools_service import (
    SCHOOL_FIELDS,
    SchoolDetail,
    SchoolInput,
    SchoolsService,
)
from thep_desktop.services.settings.staff_service import StaffService
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import PermissionDeniedError, ServiceError


def counts(db: Database) -> tuple[int, int, int, int]:
    """Schools, contacts, staff and organisation profiles in the database."""
    with db.read_session() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (School, Contact, StaffMember, OrganisationProfile)
        )


def all_details(db: Database, actor: Actor) -> list[SchoolDetail]:
    service = SchoolsService(db)
    return [service.get_school(actor, row.id) for row in service.list_schools(actor)]


@pytest.fixture
def loaded(db: Database, actor: Actor) -> tuple[DemoSummary, list[SchoolDetail]]:
    summary = DemoService(db).load(actor)
    return summary, all_details(db, actor)


def test_summary_counts_what_was_added(db: Database, actor: Actor, loaded) -> None:
    summary, schools = loaded
    n_schools, n_contacts, n_staff, _ = counts(db)
    assert 85 <= summary.schools <= 95
    assert (summary.schools, summary.contacts, summary.staff) == (n_schools, n_contacts, n_staff)
    assert summary.staff == len(STAFF) == 6
    with db.read_session() as s:
        n_inspections = s.scalar(select(func.count()).select_from(OfstedInspection)) or 0
        n_notes = s.scalar(select(func.count()).select_from(SchoolNote)) or 0
    assert (summary.inspections, summary.notes) == (n_inspections, n_notes)
    assert n_inspections > 150 and n_notes > 100
    assert str(summary) == (
        f"{n_schools} schools, {n_contacts} contacts, 6 link officers, "
        f"{n_inspections} Ofsted inspections and {n_notes} notes on schools"
    )
    assert str(DemoSummary(1, 1, 1, 1, 1)) == (
        "1 school, 1 contact, 1 link officer, 1 Ofsted inspection and 1 note on schools"
    )


def test_borough_has_every_kind_of_school(loaded) -> None:
    _summary, schools = loaded
    phases = Counter(s.phase for s in schools)
    assert {"Nursery", "Primary", "Secondary", "All-through", "16 plus", "Not applicable"} <= set(
        phases
    )
    assert phases["Primary"] > phases["Secondary"] > phases["Nursery"]
    assert 1 <= phases["All-through"] <= 2
    types = Counter(s.establishment_type for s in schools)
    assert 3 <= types["Community special school"] + types["Academy special converter"] <= 4
    assert types["Pupil referral unit"] >= 1
    assert types["Free schools 16 to 19"] == 1
    for kind in (
        "Community school",
        "Voluntary aided school",
        "Foundation school",
        "Local authority nursery school",
        "Academy converter",
        "Academy sponsor led",
        "Free schools",
    ):
        assert types[kind] >= 1, kind
    assert set(types) <= set(ESTABLISHMENT_TYPES)
    assert set(phases) <= set(PHASES)

    trusts = {s.trust for s in schools if s.trust}
    assert 4 <= len(trusts) <= 5
    for s in schools:
        is_academy = s.establishment_type.startswith(("Academy", "Free schools"))
        assert bool(s.trust) == is_academy, s.name
    characters = Counter((s.diocese, s.religious_character) for s in schools if s.diocese)
    assert ("Church of England Diocese of London", "Church of England") in characters
    assert ("Roman Catholic Archdiocese of Westminster", "Roman Catholic") in characters
    assert all(s.religious_character for s in schools if s.diocese)


def test_closed_and_proposed_schools(loaded) -> None:
    _summary, schools = loaded
    by_status = Counter(s.status for s in schools)
    assert by_status[SchoolStatus.CLOSED] == 3
    assert by_status[SchoolStatus.PROPOSED] == 1
    for s in schools:
        if s.status is SchoolStatus.CLOSED:
            assert s.close_date is not None and s.close_date < CENSUS_DAY
            assert s.link_officer_id is None and not s.contacts
            assert s.pupils_census_date is not None and s.pupils_census_date < s.close_date
        else:
            assert s.close_date is None
        if s.status is SchoolStatus.PROPOSED:
            assert s.open_date is not None and s.open_date > CENSUS_DAY
            assert s.pupils_on_roll is None and not s.ofsted_grade


def test_every_open_school_has_a_head_contact_and_a_link_officer(
    db: Database, actor: Actor, loaded
) -> None:
    _summary, schools = loaded
    staff = {s.id: s for s in StaffService(db).list_staff(actor)}
    load = Counter()
    for s in schools:
        if s.status is SchoolStatus.CLOSED:
            continue
        roles = [c.role for c in s.contacts]
        assert roles.count("Head teacher") == 1, s.name
        head = next(c for c in s.contacts if c.role == "Head teacher")
        assert head.full_name == f"{s.head_first_name} {s.head_last_name}"
        assert len(set(roles)) == len(roles)
        assert set(roles) <= set(CONTACT_ROLES)
        assert s.head_title and s.head_job_title and s.chair_of_governors
        assert s.link_officer_id in staff
        load[s.link_officer_id] += 1
        if s.status is SchoolStatus.OPEN:
            assert 2 <= len(s.contacts) <= 4, s.name
    assert set(load) == set(staff)  # every member of staff links some schools


def test_identifiers_and_values_are_plausible(loaded) -> None:
    _summary, schools = loaded
    urns = [s.urn for s in schools]
    assert len(set(urns)) == len(urns)
    assert all(100000 <= urn <= 999999 for urn in urns)
    numbers = [s.establishment_number for s in schools]
    assert len(set(numbers)) == len(numbers)
    assert {s.la_code for s in schools} == {"211"}
    assert len({s.name for s in schools}) == len(schools)
    first_digit = {
        "Nursery": {"1"},
        "Primary": {"2", "3", "5"},
        "Secondary": {"4", "5"},
        "All-through": {"4"},
        "16 plus": {"6"},
        "Not applicable": {"1", "7"},
    }
    ages = {
        "Nursery": (2, 5),
        "Primary": (3, 11),
        "Secondary": (11, 18),
        "All-through": (3, 19),
        "16 plus": (16, 19),
        "Not applicable": (2, 19),
    }
    pupils = {
        "Nursery": (50, 150),
        "Primary": (60, 800),
        "Secondary": (600, 2000),
        "All-through": (900, 2200),
        "16 plus": (300, 900),
        "Not applicable": (20, 250),
    }
    for s in schools:
        assert s.establishment_number[0] in first_digit[s.phase], s.name
        low, high = ages[s.phase]
        assert s.statutory_low_age is not None and s.statutory_high_age is not None
        assert low <= s.statutory_low_age < s.statutory_high_age <= high, s.name
        if s.pupils_on_roll is not None:
            lowest, highest = pupils[s.phase]
            assert lowest <= s.pupils_on_roll <= highest, (s.name, s.pupils_on_roll)
        if s.status is SchoolStatus.OPEN:
            assert s.pupils_census_date == CENSUS_DAY
        assert s.postcode.split()[0] in {"E1", "E1W", "E2", "E3", "E14"}
        assert normalise_postcode(s.postcode) == s.postcode
        assert s.phone.startswith("020 7946 0")  # Ofcom's range for drama: never a real line
        assert s.email.endswith(".sch.example") and s.website.endswith(".sch.example")
        assert s.ofsted_grade in (*OFSTED_GRADES, "")
        if s.ofsted_date is not None:
            assert s.ofsted_date.weekday() < 5
            assert s.open_date is None or s.ofsted_date > s.open_date
    inspected = [s for s in schools if s.ofsted_date is not None]
    assert len(inspected) >= 0.9 * len(schools)
    concern = [s for s in schools if s.causing_concern]
    assert 3 <= len(concern) <= 4
    assert all(s.ofsted_grade not in ("Good", "Outstanding") for s in concern)
    assert all(s.notes for s in concern)


def test_every_demo_school_passes_the_register_rules(db: Database, actor: Actor, loaded) -> None:
    """The demo writes the ORM directly, so check it against the service's own validation."""
    _summary, schools = loaded
    service = SchoolsService(db)
    for detail in schools:
        values, contacts = check_school(detail.as_input())
        # Already in the form the service stores: checking changes nothing.
        assert values == {name: getattr(detail, name) for name in SCHOOL_FIELDS}, detail.name
        assert [v for v, _id in contacts] == [
            {"full_name": c.full_name, "role": c.role, "email": c.email, "phone": c.phone}
            for c in detail.contacts
        ]
        saved = service.update_school(actor, detail.id, detail.version, detail.as_input())
        assert saved.version == detail.version + 1
        assert saved.as_input() == detail.as_input()


def test_refuses_a_register_with_schools(db: Database, actor: Actor) -> None:
    SchoolsService(db).create_school(
        actor, SchoolInput(urn="100229", name="Bethnal Green Primary School")
    )
    before = counts(db)
    with pytest.raises(ServiceError) as caught:
        DemoService(db).load(actor)
    assert str(caught.value) == (
        "The register already has 1 school; demo data only goes into an empty database."
    )
    assert counts(db) == before


def test_cancel_rolls_everything_back(db: Database, actor: Actor) -> None:
    reports: list[tuple[int, int, str]] = []

    def on_report(done: int, total: int, message: str) -> None:
        reports.append((done, total, message))
        if len(reports) == 40:  # well into the schools
            progress.cancel()

    progress = Progress(on_report)
    with pytest.raises(Cancelled):
        DemoService(db).load(actor, progress)
    assert len(reports) == 40
    assert counts(db) == (0, 0, 0, 0)
    # The bar only moves forwards, against one total, naming what it is adding.
    dones = [done for done, _total, _message in reports]
    assert dones == sorted(dones)
    assert len({total for _done, total, _message in reports}) == 1
    assert reports[-1][2].endswith(("School", "Academy", "College", "Unit", "Centre"))


def test_progress_reaches_the_end(db: Database, actor: Actor) -> None:
    reports: list[tuple[int, int]] = []
    DemoService(db).load(actor, Progress(lambda done, total, _m: reports.append((done, total))))
    assert reports[-1][0] == reports[-1][1] > 0
    assert len(reports) > 80  # between schools, not just once


@pytest.mark.parametrize("role", [Role.VIEWER, Role.STAFF])
def test_only_settings_editors_may_load_demo_data(db: Database, role: Role) -> None:
    with pytest.raises(PermissionDeniedError):
        DemoService(db).load(Actor("someone", role))
    assert counts(db) == (0, 0, 0, 0)


def test_summary_is_plain_data() -> None:
    assert asdict(DemoSummary(90, 260, 6, 210, 190)) == {
        "schools": 90,
        "contacts": 260,
        "staff": 6,
        "inspections": 210,
        "notes": 190,
    }


def test_all_details_at_once_match_one_by_one(db: Database, actor: Actor, loaded) -> None:
    """``list_school_details`` (used by ``thep-admin schools list --json``) on a full register."""
    _summary, one_by_one = loaded
    at_once = SchoolsService(db).list_school_details(actor)
    assert at_once == one_by_one  # same order as the register's list, too


def test_the_demo_signs_as_its_executive_director_and_company_secretary(
    db: Database, actor: Actor, loaded, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader

    from thep_desktop.services.letters.letters_service import LettersService
    from thep_desktop.services.settings.organisation_service import (
        OrganisationService,
        check_signature_image,
    )

    director, director_title, _ = STAFF[0]
    secretary, secretary_title, _ = STAFF[1]
    assert director_title == "Executive Director" and "Company Secretary" in secretary_title
    profile = OrganisationService(db).get_profile(actor)
    assert (profile.signatory_name, profile.signatory_position) == (director, director_title)
    assert profile.company_secretary == secretary
    assert profile.signature_image is not None
    check_signature_image(profile.signature_image)  # a PNG the letters can print

    letters = LettersService(db)
    urn = loaded[1][0].urn
    school_ids = letters.school_ids_for_urns(actor, [urn])
    visit = letters.find_template(actor, "review_visit")
    notice = letters.find_template(actor, "general_meeting")
    for template, out in ((visit, tmp_path / "visit.pdf"), (notice, tmp_path / "notice.pdf")):
        mailing = {name: "x" for name in letters.mailing_fields(template)}
        letters.produce(
            actor, template.id, school_ids, "Head teacher", combined_file=out, mailing=mailing
        )
    visit_pdf = PdfReader(io.BytesIO((tmp_path / "visit.pdf").read_bytes()))
    visit_text = " ".join(visit_pdf.pages[0].extract_text().split())
    assert f"{director} Executive Director" in visit_text
    assert len(visit_pdf.pages[0].images) == 1  # the Executive Director's signature
    notice_text = " ".join(
        PdfReader(io.BytesIO((tmp_path / "notice.pdf").read_bytes()))
        .pages[0]
        .extract_text()
        .split()
    )
    assert f"By order of the Board {secretary} Company Secretary" in notice_text


def test_demo_schools_have_this_and_last_years_census(db: Database, actor: Actor, loaded) -> None:
    """Two January censuses per counted school, last year's a little different (fees differ)."""
    _, schools = loaded
    this_year = spring_census_on_or_before(date.today())
    last_year = spring_census(this_year.year - 1)
    assert CENSUS_DAY == this_year and this_year.weekday() == 3
    service = SchoolsService(db)
    with db.read_session() as session:
        now = pupils_at(session, None, this_year)
        before = pupils_at(session, None, last_year)
    differ = 0
    for s in schools:
        # (The founding members also have January 2017's figure, for the 2016/17 fees.)
        history = [
            f for f in service.census_history(actor, s.id) if f.census_date != FOUNDING_CENSUS
        ]
        if s.pupils_on_roll is None:
            assert history == [] and s.id not in now, s.name
            continue
        assert history[0] == CensusFigure(s.pupils_on_roll, s.pupils_census_date), s.name
        if s.status is SchoolStatus.OPEN and (s.open_date is None or s.open_date <= last_year):
            assert [f.census_date for f in history] == [this_year, last_year], s.name
            assert now[s.id].pupils == s.pupils_on_roll
            assert before[s.id].census_date == last_year
            assert 0.6 * s.pupils_on_roll <= before[s.id].pupils <= 1.1 * s.pupils_on_roll
            differ += before[s.id].pupils != now[s.id].pupils
        assert len(history) in (1, 2)
    assert differ >= 0.8 * len(now)
