"""The details pane's page: every value escaped, closures and concern spelt out, letters linked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import AreaGrade, InspectionKind, OverallGrade, Safeguarding
from thep_desktop.services.letters.correspondence_history import CorrespondenceRow
from thep_desktop.services.schools.ofsted_service import InspectionDetail
from thep_desktop.services.schools.school_data import ContactInput, SchoolInput
from thep_desktop.services.schools.schools_service import SchoolDetail, SchoolsService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.schools.school_detail_html import LETTER_LINK, detail_html


def saved_school(db: Database, actor: Actor, **kw: object) -> SchoolDetail:
    data = SchoolInput(
        urn=100500,
        name="St Mary & St John's <Primary>",
        la_code="211",
        establishment_number="3456",
        notes="First line\nSecond <line>",
        contacts=[ContactInput("Grace Okafor", "School business manager", "sbm@stmj.sch.uk")],
    )
    for key, value in kw.items():
        setattr(data, key, value)
    return SchoolsService(db).create_school(actor, data)


def letter(letter_id: int, sent: datetime, subject: str = "") -> CorrespondenceRow:
    return CorrespondenceRow(
        id=letter_id,
        school_id=1,
        sent_at=sent,
        sent_by="jo.bloggs",
        template_name="Peer review visits",
        subject=subject,
        recipient_name="Grace Okafor",
        recipient_role="School business manager",
        our_ref="",
        pages=1,
        sha256="",
        filename="",
    )


def test_every_value_is_escaped(sqlite_db: Database, actor: Actor) -> None:
    page = detail_html(saved_school(sqlite_db, actor))
    assert "St Mary &amp; St John&#x27;s &lt;Primary&gt;" in page
    assert "<Primary>" not in page
    assert "First line<br>Second &lt;line&gt;" in page
    assert "211/3456" in page
    assert "Grace Okafor" in page and "sbm@stmj.sch.uk" in page
    assert "causing concern" not in page
    assert "None yet" in page  # no letters sent


def test_a_closure_to_come_and_concern_are_spelt_out(sqlite_db: Database, actor: Actor) -> None:
    later = date.today() + timedelta(days=20)
    page = detail_html(
        saved_school(sqlite_db, actor, close_date=format_date(later), causing_concern=True)
    )
    assert f"<b>Closes on {format_date(later)}</b>" in page
    assert "School causing concern" in page


def test_each_letter_sent_links_to_itself_newest_first(sqlite_db: Database, actor: Actor) -> None:
    school = saved_school(sqlite_db, actor)
    sent = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    page = detail_html(
        school, [letter(7, sent, "Visit on 12 March"), letter(3, sent - timedelta(days=40))]
    )
    assert f"href='{LETTER_LINK}:7'>Visit on 12 March</a>" in page
    assert f"href='{LETTER_LINK}:3'>Peer review visits</a>" in page
    assert page.index(f"{LETTER_LINK}:7") < page.index(f"{LETTER_LINK}:3")
    assert "to Grace Okafor (School business manager) · by jo.bloggs" in page
    assert "None yet" not in page


def test_the_pane_shows_the_ofsted_history_newest_first_or_not_yet_inspected(
    sqlite_db: Database, actor: Actor
) -> None:

    def inspection(on: date, kind: InspectionKind, **values: object) -> InspectionDetail:
        base: dict[str, object] = dict(
            id=1,
            version=1,
            school_id=1,
            inspected_on=on,
            published_on=None,
            kind=kind,
            overall_grade=OverallGrade.NONE,
            safeguarding=Safeguarding.NONE,
            areas=(),
            source="office",
            report_url="",
            notes="",
            updated_by="jo",
        )
        base.update(values)
        return InspectionDetail(**base)  # type: ignore[arg-type]

    school = saved_school(sqlite_db, actor)
    none = detail_html(school, inspections=[])
    assert "Not yet inspected" in none
    page = detail_html(
        school,
        inspections=[
            inspection(
                date(2025, 11, 20),
                InspectionKind.REPORT_CARD,
                safeguarding=Safeguarding.MET,
                areas=(("inclusion", AreaGrade.STRONG),),
            ),
            inspection(date(2019, 3, 12), InspectionKind.GRADED, overall_grade=OverallGrade.GOOD),
        ],
    )
    first = page.index("20/11/2025: Report card inspection, Safeguarding met; Inclusion: Strong")
    assert first < page.index("12/03/2019: Graded inspection, Good")
