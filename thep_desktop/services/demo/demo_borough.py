"""The demo borough: invented schools, people and link officers, the same on every load."""

# The borough has LA code 211 and East London postcodes (E1, E1W, E2, E3, E14), but its
# schools, streets and people are invented. Phone numbers come from the ranges Ofcom keeps
# for drama (020 7946 0xxx, 07700 900xxx) and web and email addresses use the reserved
# ``.example`` domain, so a letter or email merged from demo data can never reach a real
# school. Everything is made from fixed random seeds: every load gives the same borough.

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.census import spring_census, spring_census_on_or_before
from thep_desktop.models import Contact, School, SchoolCensus, SchoolStatus, StaffMember
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.schools.school_census import FROM_DEMO
from thep_desktop.services.shared.actor import Actor

LA_CODE = "211"
TOWN = "London"
# The latest spring school census (the third Thursday of January): the demo's pupil numbers
# are this year's, and last year's census is kept beside them (fees use both).
CENSUS_DAY = spring_census_on_or_before(date.today())
# The latest Ofsted inspection in the demo.
LAST_INSPECTION = date(2025, 7, 15)

CE_DIOCESE = "Church of England Diocese of London"
RC_DIOCESE = "Roman Catholic Archdiocese of Westminster"
CE_CHARACTER = "Church of England"
RC_CHARACTER = "Roman Catholic"

# -- fictional names ------------------------------------------------------------------------------
# Invented school names; none is the name of a school in Tower Hamlets.
STEMS = (
    "Alderwood", "Ashcombe", "Ashdown", "Bargehouse", "Barleymow", "Bellfield", "Birchmere",
    "Blackthorn", "Bramble Yard", "Brightwater", "Calder Street", "Candlemaker", "Canalside",
    "Capstan", "Chandlers Quay", "Cinnamon Wharf", "Clockhouse", "Compass Row", "Copperleaf",
    "Cordwainers", "Dockmaster", "Dovecote", "Dunmore", "Elmstead", "Ferryhouse", "Foxley",
    "Granary", "Greenbank", "Hartsbourne", "Hawthorn Lane", "Hazelmere", "Hollybush",
    "Hopewell", "Ironbridge", "Juniper", "Kestrel", "Kingfisher", "Lamplighter", "Larkspur",
    "Lavender Wharf", "Lighterman", "Linden", "Longshore", "Magpie Lane", "Maltings",
    "Mapleton", "Marigold", "Meadowgate", "Merchant Row", "Millstream", "Moorhen", "Northbank",
    "Oakfield", "Orchard Place", "Otterburn", "Pennyroyal", "Plover", "Quarterdeck",
    "Quillwood", "Ravenscourt", "Redbrick", "Riverbend", "Ropewalk", "Saffron", "Sailmakers",
    "Saltwell", "Sandpiper", "Silkweavers", "Skylark", "Sorrel", "Spinnaker", "Starling",
    "Stonecroft", "Swallowfield", "Tallow Street", "Tannery", "Teasel", "Thistlewood",
    "Timberyard", "Upton Quay", "Verity Street", "Wagtail", "Warpers", "Wharfside",
    "Wherry Lane", "Whitebeam", "Willowbrook", "Wren Street", "Yarrow", "Yeoman",
)  # fmt: skip
CE_SAINTS = (
    "St Aldhelm's", "St Cuthbert's", "St Hilda's", "St Chad's", "St Swithun's", "St Aidan's",
    "St Etheldreda's",
)  # fmt: skip
RC_SAINTS = (
    "St Bernadette's", "St Columba's", "Our Lady of the Wharves", "St Bede's", "St Brigid's",
)  # fmt: skip
STREETS = (
    "Chandler Street", "Gunmakers Row", "Sailmaker Lane", "Cordwainer Street", "Silkweaver Road",
    "Bargehouse Street", "Lighterman's Walk", "Ferryman Road", "Anchorage Way", "Caulker Street",
    "Ropemaker Place", "Tallow Street", "Quill Lane", "Larkspur Street", "Hollybush Walk",
    "Ravensworth Street", "Saltpetre Lane", "Cooper's Yard", "Weavers Row", "Button Lane",
    "Pewter Street", "Compass Street", "Lantern Row", "Capstan Lane", "Wherry Street",
    "Bowsprit Road", "Mulgrave Street", "Hatherley Street", "Calvert Lane", "Maybury Road",
    "Coldstream Street", "Greaves Lane", "Ormsby Street", "Linnet Road", "Thrush Street",
    "Granary Road", "Tideway Street", "Barrow Lane", "Keelson Road", "Gannet Street",
)  # fmt: skip
# (locality, postcode district, weight): where the schools are.
PLACES = (
    ("Whitechapel", "E1", 4), ("Spitalfields", "E1", 3), ("Stepney", "E1", 5),
    ("Shadwell", "E1", 4), ("Wapping", "E1W", 3), ("Bethnal Green", "E2", 5),
    ("Globe Town", "E2", 2), ("Bow", "E3", 4), ("Bromley-by-Bow", "E3", 3),
    ("Mile End", "E3", 3), ("Old Ford", "E3", 2), ("Poplar", "E14", 4), ("Limehouse", "E14", 3),
    ("Isle of Dogs", "E14", 3), ("Cubitt Town", "E14", 2), ("Blackwall", "E14", 2),
)  # fmt: skip
FEMALE_NAMES = (
    "Amina", "Fatima", "Sarah", "Rebecca", "Nasreen", "Joanne", "Shirin", "Claire", "Yasmin",
    "Helen", "Ruksana", "Grace", "Katarzyna", "Abigail", "Nadia", "Louise", "Farzana", "Chloe",
    "Priya", "Hannah", "Rachel", "Aisha", "Sophie", "Mariam", "Lucy", "Tasnim", "Esther",
    "Gemma", "Halima", "Natalie", "Joanna", "Rima", "Olivia", "Ifeoma", "Shahida", "Maria",
)  # fmt: skip
MALE_NAMES = (
    "Mohammed", "James", "David", "Abdul", "Daniel", "Tom", "Rahim", "Michael", "Kwame", "Peter",
    "Imran", "Jonathan", "Shahid", "Paul", "Tomasz", "Richard", "Anwar", "Mark", "Samuel",
    "Rafiq", "Andrew", "Kofi", "Simon", "Jamal", "Matthew", "Ibrahim", "Gareth", "Luke",
    "Ahmed", "Patrick", "Nathan", "Delroy",
)  # fmt: skip
SURNAMES = (
    "Rahman", "Begum", "Ahmed", "Hussain", "Uddin", "Miah", "Islam", "Ali", "Chowdhury", "Khan",
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thompson", "Walker", "Hughes",
    "Green", "Okafor", "Mensah", "Adeyemi", "Osei", "Campbell", "Clarke", "Nowak", "Kowalski",
    "Murphy", "O'Brien", "Kelly", "Fitzgerald", "Patel", "Shah", "Sharma", "Yilmaz", "Demir",
    "Hassan", "Abdi", "Farah", "Cohen", "Levy", "Harper", "Fletcher", "Marsh", "Bennett",
    "Dawson", "Hale", "Pryce", "Whitfield",
)  # fmt: skip

# The multi-academy trusts of the borough.
RIVERSIDE = "Riverside Learning Trust"
LANTERN = "Lantern Schools Trust"
GREENWAY = "Greenway Academies Trust"
ST_ANSELM = "St Anselm Catholic Academy Trust"
QUAYSIDE = "Quayside Education Trust"
TRUSTS = (RIVERSIDE, LANTERN, GREENWAY, ST_ANSELM, QUAYSIDE)

# The partnership's staff: (name, job title, which schools they are link officer for).
STAFF = (
    ("Helen Marsh", "Executive Director", "secondary"),
    ("Rafiq Chowdhury", "Deputy Director and Company Secretary", "secondary"),
    ("Shirin Akhtar", "School Improvement Partner", "E1"),
    ("Kwame Mensah", "School Improvement Partner", "E2 E3"),
    ("Joanne Whitfield", "School Improvement Partner", "E14"),
    ("Bernadette Kelly", "Inclusion and SEND Lead", "inclusion"),
)
STAFF_DOMAIN = "the-partnership.example"
# Who signs the demo's letters: the Executive Director by default, and the company secretary
# the formal notices ("By order of the Board").
DEMO_SIGNATORY = STAFF[0]
DEMO_SECRETARY = STAFF[1]


# -- the kinds of school --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Kind:
    establishment_type: str
    phase: str
    family: str  # how pupils are counted and who the link officer is
    numbers: tuple[int, int]  # the establishment number range
    ages: tuple[tuple[int, int], ...]  # age ranges to choose from
    academy: bool = False


NURSERY = _Kind("Local authority nursery school", "Nursery", "nursery", (1000, 1099), ((2, 5),))
PRIMARY = _Kind("Community school", "Primary", "primary", (2000, 2999), ((3, 11),) * 3 + ((4, 11),))
INFANT = _Kind("Community school", "Primary", "primary", (2000, 2999), ((3, 7),))
JUNIOR = _Kind("Community school", "Primary", "primary", (2000, 2999), ((7, 11),))
VA_PRIMARY = _Kind("Voluntary aided school", "Primary", "primary", (3300, 3699), ((3, 11), (4, 11)))
FOUNDATION_PRIMARY = _Kind("Foundation school", "Primary", "primary", (5200, 5299), ((3, 11),))
CONVERTER_PRIMARY = _Kind(
    "Academy converter", "Primary", "primary", (2000, 2999), ((3, 11), (4, 11)), academy=True
)
SPONSOR_PRIMARY = _Kind(
    "Academy sponsor led", "Primary", "primary", (2000, 2999), ((3, 11), (4, 11)), academy=True
)
FREE_PRIMARY = _Kind("Free schools", "Primary", "primary", (2000, 2999), ((4, 11),), academy=True)
SECONDARY = _Kind("Community school", "Secondary", "secondary", (4000, 4599), ((11, 16), (11, 18)))
VA_SECONDARY = _Kind("Voluntary aided school", "Secondary", "secondary", (4600, 4799), ((11, 18),))
FOUNDATION_SECONDARY = _Kind(
    "Foundation school", "Secondary", "secondary", (5400, 5499), ((11, 18),)
)
CONVERTER_SECONDARY = _Kind(
    "Academy converter", "Secondary", "secondary", (4000, 4599), ((11, 18), (11, 16)), academy=True
)
SPONSOR_SECONDARY = _Kind(
    "Academy sponsor led", "Secondary", "secondary", (4000, 4599), ((11, 18),), academy=True
)
FREE_SECONDARY = _Kind(
    "Free schools", "Secondary", "secondary", (4000, 4599), ((11, 18),), academy=True
)
ALL_THROUGH = _Kind("Community school", "All-through", "all-through", (4000, 4599), ((3, 18),))
FREE_ALL_THROUGH = _Kind(
    "Free schools", "All-through", "all-through", (4000, 4599), ((4, 18),), academy=True
)
SPECIAL = _Kind(
    "Community special school",
    "Not applicable",
    "special",
    (7000, 7199),
    ((2, 19), (11, 19), (3, 11)),
)
ACADEMY_SPECIAL = _Kind(
    "Academy special converter", "Not applicable", "special", (7000, 7199), ((5, 19),), True
)
PRU = _Kind("Pupil referral unit", "Not applicable", "pru", (1100, 1199), ((5, 16),))
AP_ACADEMY = _Kind(
    "Academy alternative provision sponsor led",
    "Not applicable",
    "pru",
    (1100, 1199),
    ((11, 16),),
    academy=True,
)
SIXTEEN_19 = _Kind(
    "Free schools 16 to 19", "16 plus", "sixth form", (6900, 6999), ((16, 19),), academy=True
)


@dataclass
class _Person:
    title: str
    first: str
    last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def formal(self) -> str:
        return f"{self.title} {self.first} {self.last}"


class _Borough:
    """Makes schools that fit together: unique URNs, numbers, postcodes and phone lines."""

    def __init__(self, rng: random.Random, link_officers: dict[str, int], actor: Actor) -> None:
        self.rng = rng
        self.links = link_officers
        self.actor = actor
        self._stems = rng.sample(STEMS, len(STEMS))
        self._urns: set[int] = set()
        self._numbers: set[str] = set()
        self._postcodes: set[str] = set()
        # 020 7946 0000 to 0899; the office's own lines are 0900 and up.
        self._lines = rng.sample(range(900), 900)
        self._mobiles = rng.sample(range(1000), 1000)  # 07700 900000 to 900999
        self._secondary_turn = 0
        self._places: list[tuple[str, str]] = []
        self.schools: list[School] = []

    # -- unique values ------------------------------------------------------------------------
    def stem(self) -> str:
        return self._stems.pop()

    def urn(self, low: int, high: int) -> int:
        while True:
            urn = self.rng.randint(low, high)
            if urn not in self._urns:
                self._urns.add(urn)
                return urn

    def maintained_urn(self) -> int:
        """Schools maintained by the authority since before academies have old, low URNs."""
        return self.urn(100880, 101020)

    def urn_for(self, opened: date) -> int:
        """URNs of newer schools grow with the date the school opened."""
        base = 135600 + (opened.year - 2011) * 1100
        return self.urn(base, base + 1099)

    def number(self, kind: _Kind) -> str:
        while True:
            number = str(self.rng.randint(*kind.numbers))
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def phone(self) -> str:
        return f"020 7946 0{self._lines.pop():03d}"

    def mobile(self) -> str:
        return f"07700 900{self._mobiles.pop():03d}"

    def place(self, district: str | None = None) -> tuple[str, str]:
        """A locality: drawn from a shuffled bag, so each area gets its fair share."""
        if district is not None:
            locality, code, _weight = self.rng.choice([p for p in PLACES if p[1] == district])
            return locality, code
        if not self._places:
            self._places = [(p[0], p[1]) for p in PLACES for _ in range(p[2])]
            self.rng.shuffle(self._places)
        return self._places.pop()

    def postcode(self, district: str) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in inward codes
        while True:
            code = (
                f"{district} {self.rng.randint(1, 9)}"
                f"{self.rng.choice(letters)}{self.rng.choice(letters)}"
            )
            if code not in self._postcodes:
                self._postcodes.add(code)
                return code

    def person(self) -> _Person:
        if self.rng.random() < 0.62:  # most of the school workforce are women
            first = self.rng.choice(FEMALE_NAMES)
            title = self.rng.choices(["Ms", "Mrs", "Miss", "Dr"], weights=[6, 4, 1, 1])[0]
        else:
            first = self.rng.choice(MALE_NAMES)
            title = self.rng.choices(["Mr", "Dr"], weights=[9, 1])[0]
        return _Person(title, first, self.rng.choice(SURNAMES))

    # -- one school ---------------------------------------------------------------------------
    def school(
        self,
        kind: _Kind,
        name: str,
        *,
        trust: str = "",
        faith: str = "",
        status: SchoolStatus = SchoolStatus.OPEN,
        open_date: date | None = None,
        close_date: date | None = None,
        urn: int | None = None,
        district: str | None = None,
        notes: str = "",
    ) -> School:
        rng = self.rng
        if urn is None:
            if kind.academy or (open_date is not None and open_date.year >= 2011):
                urn = self.urn_for(open_date or date(2012, 9, 1))
            else:
                urn = self.maintained_urn()
        low, high = rng.choice(kind.ages)
        locality, code = self.place(district)
        census = _census_before(close_date) if close_date else CENSUS_DAY
        pupils = None
        if status is not SchoolStatus.PROPOSED:
            pupils = _pupils(rng, kind, low, high, open_date, census)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")
        slug = slug.removesuffix("-school")
        domain = f"{slug}.sch.example"
        head = self.person()
        chair = self.person()
        grade, inspected = self.ofsted(status, open_date, close_date)
        if status is SchoolStatus.PROPOSED:
            job_title = "Headteacher designate"
        elif kind.academy:
            job_title = rng.choice(["Principal", "Headteacher", "Headteacher"])
        else:
            job_title = rng.choice(["Headteacher"] * 5 + ["Executive Headteacher"])
        diocese, character = {
            "": ("", ""),
            "ce": (CE_DIOCESE, CE_CHARACTER),
            "rc": (RC_DIOCESE, RC_CHARACTER),
        }[faith]
        school = School(
            urn=urn,
            la_code=LA_CODE,
            establishment_number=self.number(kind),
            name=name,
            establishment_type=kind.establishment_type,
            phase=kind.phase,
            status=status,
            open_date=open_date,
            close_date=close_date,
            statutory_low_age=low,
            statutory_high_age=high,
            pupils_on_roll=pupils,
            pupils_census_date=census if pupils is not None else None,
            trust=trust,
            diocese=diocese,
            religious_character=character,
            street=rng.choice(STREETS),
            locality=locality,
            address3="",
            town=TOWN,
            county="",
            postcode=self.postcode(code),
            phone=self.phone(),
            website=f"www.{domain}",
            email=f"admin@{domain}",
            head_title=head.title,
            head_first_name=head.first,
            head_last_name=head.last,
            head_job_title=job_title,
            chair_of_governors="" if status is SchoolStatus.CLOSED else chair.formal,
            ofsted_grade=grade,
            ofsted_date=inspected,
            causing_concern=False,
            link_officer_id=None,
            notes=notes,
            created_by=self.actor.name,
            updated_by=self.actor.name,
        )
        school.contacts = []
        if status is not SchoolStatus.CLOSED:
            school.link_officer_id = self.link_officer(kind, code)
            school.contacts = self.contacts(school, head, chair, domain, status)
        self.schools.append(school)
        return school

    def ofsted(
        self, status: SchoolStatus, opened: date | None, closed: date | None
    ) -> tuple[str, date | None]:
        if status is SchoolStatus.PROPOSED:
            return "", None
        # The last inspection is within six years; a new school's first comes in its third.
        latest = min(LAST_INSPECTION, (closed or LAST_INSPECTION) - timedelta(days=60))
        earliest = latest - timedelta(days=6 * 365)
        if opened is not None:
            earliest = max(earliest, opened + timedelta(days=700))
        if earliest > latest:
            return "Not yet inspected", None
        grade = self.rng.choices(
            ["Outstanding", "Good", "Requires improvement"], weights=[18, 68, 14]
        )[0]
        return grade, self.inspection_day(earliest, latest)

    def inspection_day(self, earliest: date, latest: date) -> date:
        """A Tuesday, Wednesday or Thursday in term time."""
        span = (latest - earliest).days
        while True:
            day = earliest + timedelta(days=self.rng.randint(0, span))
            if inspection_weekday(day):
                return day

    def link_officer(self, kind: _Kind, district: str) -> int:
        if kind.family in ("special", "pru"):
            return self.links["inclusion"]
        if kind.family in ("secondary", "all-through", "sixth form"):
            # The two directors share the secondary schools between them.
            self._secondary_turn += 1
            names = [s[0] for s in STAFF if s[2] == "secondary"]
            return self.links[names[self._secondary_turn % len(names)]]
        patch = {"E1": "E1", "E1W": "E1", "E2": "E2 E3", "E3": "E2 E3", "E14": "E14"}[district]
        return self.links[patch]

    def contacts(
        self, school: School, head: _Person, chair: _Person, domain: str, status: SchoolStatus
    ) -> list[Contact]:
        rng = self.rng
        made = [("Head teacher", head.name, f"head@{domain}", school.phone)]
        if status is SchoolStatus.PROPOSED:
            made.append(("Chair of governors", chair.name, f"chair@{domain}", self.mobile()))
        else:
            others = {
                "School business manager": 8,
                "Office manager": 4,
                "Chair of governors": 4,
                "Deputy head teacher": 3,
                "SENCO": 3,
                "Clerk to governors": 1,
            }
            for _ in range(rng.choice([1, 2, 2, 3])):
                role = rng.choices(list(others), weights=list(others.values()))[0]
                del others[role]
                person = chair if role == "Chair of governors" else self.person()
                local = re.sub(r"[^a-z]", "", person.last.lower())
                email, phone = {
                    "School business manager": (
                        f"{person.first[0].lower()}.{local}@{domain}",
                        self.phone(),
                    ),
                    "Office manager": (f"office@{domain}", school.phone),
                    "Chair of governors": (f"chair@{domain}", ""),
                    "Deputy head teacher": (
                        f"{person.first.lower()}.{local}@{domain}",
                        school.phone,
                    ),
                    "SENCO": (f"senco@{domain}", school.phone),
                    "Clerk to governors": (f"clerk@{domain}", self.mobile()),
                }[role]
                made.append((role, person.name, email, phone))
        return [
            Contact(
                full_name=name,
                role=role,
                email=email,
                phone=phone,
                created_by=self.actor.name,
                updated_by=self.actor.name,
            )
            for role, name, email, phone in made
        ]


def _census_before(day: date) -> date:
    """The spring census (third Thursday of January) before ``day``."""
    return spring_census(day.year if day.month > 1 else day.year - 1)


def census_figures(school: School, actor: Actor) -> list[SchoolCensus]:
    """A school's figures at its latest census and the one a year before.

    Last year's number differs a little (a growing new school had fewer); a school that
    opened after last year's census has only this year's. Drawn from the school's own URN,
    so the rest of the borough comes out the same.
    """
    pupils, census = school.pupils_on_roll, school.pupils_census_date
    if pupils is None or census is None:
        return []
    figures = [(census, pupils)]
    last_census = spring_census(census.year - 1)
    if school.open_date is None or school.open_date <= last_census:
        rng = random.Random(f"census/{school.urn}")
        growing = school.open_date is not None and school.open_date.year >= census.year - 6
        change = (
            rng.uniform(0.7, 0.85) if growing else rng.choice((-1, 1)) * rng.uniform(0.02, 0.06)
        )
        last = round(pupils * change) if growing else round(pupils * (1 + change))
        figures.append((last_census, last if last != pupils else pupils - 1))
    return [
        SchoolCensus(
            school_id=school.id,
            census_date=day,
            pupils=number,
            source=FROM_DEMO,
            created_by=actor.name,
            updated_by=actor.name,
        )
        for day, number in figures
    ]


def _pupils(
    rng: random.Random, kind: _Kind, low: int, high: int, opened: date | None, census: date
) -> int:
    """A plausible number on roll for the phase and age range (schools run at 80-100%)."""

    def fill() -> float:
        return rng.uniform(0.8, 1.0)

    if kind.family == "nursery":
        return rng.randint(70, 140)
    if kind.family == "special":
        return rng.randint(70, 210)
    if kind.family == "pru":
        return rng.randint(30, 90)
    if kind.family == "sixth form":
        return rng.randint(420, 760)
    nursery_class = rng.randint(26, 52) if low <= 3 else 0
    if kind.family == "primary":
        years = min(high, 11) - max(low, 4)
        per_year = 30 * rng.choice([1, 2, 2, 2, 3])
    elif kind.family == "secondary":
        years = 5
        per_year = 30 * rng.choice([6, 7, 8, 8, 9, 10])
    else:  # all-through: a two-form primary below an eight-form secondary
        years = 12
        per_year = 30 * rng.choice([3, 4])
    sixth_form = rng.randint(140, 320) if high >= 18 else 0
    new_school = kind.establishment_type == "Free schools"
    if new_school and opened is not None and opened.year >= census.year - years:
        # A new school fills from its youngest year group up.
        grown = max(1, census.year - opened.year + (1 if census.month >= 9 else 0))
        years = min(years, grown)
        sixth_form = 0 if grown <= 5 else sixth_form
    return round(years * per_year * fill()) + nursery_class + sixth_form


def _academy_open(rng: random.Random, first_year: int, last_year: int) -> date:
    """Academies convert on the first of a month, most often in September or April."""
    month = rng.choice([9, 9, 9, 4, 4, 1, 11, 6])
    return date(rng.randint(first_year, last_year), month, 1)


def _borough(b: _Borough) -> list[School]:
    """The whole borough, in the order it is added."""
    rng = b.rng
    for _ in range(4):
        b.school(NURSERY, f"{b.stem()} Nursery School")

    # Primary schools maintained by the authority.
    for _ in range(27):
        b.school(PRIMARY, f"{b.stem()} Primary School")
    pair = b.stem()
    infants = b.school(
        INFANT, f"{pair} Infants' School", notes=f"Federated with {pair} Junior School."
    )
    juniors = b.school(
        JUNIOR, f"{pair} Junior School", notes=f"Federated with {pair} Infants' School."
    )
    _same_site(juniors, infants)
    # A federation has one executive head teacher for both schools.
    infants.head_job_title = juniors.head_job_title = "Executive Headteacher"
    juniors.head_title = infants.head_title
    juniors.head_first_name = infants.head_first_name
    juniors.head_last_name = infants.head_last_name
    juniors.contacts[0].full_name = infants.contacts[0].full_name
    for saint in CE_SAINTS:
        b.school(VA_PRIMARY, f"{saint} Church of England Primary School", faith="ce")
    for saint in RC_SAINTS:
        b.school(VA_PRIMARY, f"{saint} Catholic Primary School", faith="rc")
    for _ in range(2):
        b.school(FOUNDATION_PRIMARY, f"{b.stem()} Primary School")

    # Primary academies and free schools, in the trusts.
    for trust in (RIVERSIDE, RIVERSIDE, RIVERSIDE, LANTERN, LANTERN, LANTERN, GREENWAY):
        b.school(
            CONVERTER_PRIMARY,
            f"{b.stem()} Primary {rng.choice(['School', 'Academy'])}",
            trust=trust,
            open_date=_academy_open(rng, 2012, 2022),
        )
    for saint in ("St Gregory's", "St Clare's"):
        b.school(
            CONVERTER_PRIMARY,
            f"{saint} Catholic Primary School",
            trust=ST_ANSELM,
            faith="rc",
            open_date=_academy_open(rng, 2017, 2021),
        )
    for trust in (LANTERN, LANTERN, GREENWAY, GREENWAY):
        b.school(
            SPONSOR_PRIMARY,
            f"{b.stem()} Academy",
            trust=trust,
            open_date=_academy_open(rng, 2013, 2020),
        )
    for year in (2014, 2018, 2023):
        b.school(
            FREE_PRIMARY,
            f"{b.stem()} Primary School",
            trust=QUAYSIDE,
            open_date=date(year, 9, 1),
            district="E14",
        )

    # Secondary schools.
    for name in ("School", "Girls' School", "Secondary School", "School"):
        b.school(SECONDARY, f"{b.stem()} {name}")
    b.school(VA_SECONDARY, "Bishop Latimer Church of England School", faith="ce")
    b.school(VA_SECONDARY, "St Benedict's Catholic College", faith="rc")
    b.school(FOUNDATION_SECONDARY, f"{b.stem()} Community School")
    b.school(
        CONVERTER_SECONDARY,
        f"{b.stem()} Academy",
        trust=GREENWAY,
        open_date=_academy_open(rng, 2012, 2016),
    )
    b.school(
        CONVERTER_SECONDARY,
        "St Hildegard's Catholic Academy",
        trust=ST_ANSELM,
        faith="rc",
        open_date=date(2016, 9, 1),
    )
    for _ in range(2):
        b.school(
            SPONSOR_SECONDARY,
            f"{b.stem()} Academy",
            trust=GREENWAY,
            open_date=_academy_open(rng, 2013, 2019),
        )
    b.school(FREE_SECONDARY, f"{b.stem()} School", trust=QUAYSIDE, open_date=date(2015, 9, 1))
    b.school(ALL_THROUGH, f"{b.stem()} School")
    b.school(
        FREE_ALL_THROUGH,
        f"{b.stem()} School",
        trust=QUAYSIDE,
        open_date=date(2013, 9, 1),
        district="E14",
    )

    # Special schools and alternative provision.
    for _ in range(3):
        b.school(SPECIAL, f"{b.stem()} School")
    b.school(ACADEMY_SPECIAL, f"{b.stem()} School", trust=RIVERSIDE, open_date=date(2017, 4, 1))
    b.school(PRU, f"{b.stem()} Pupil Referral Unit")
    b.school(AP_ACADEMY, f"{b.stem()} Learning Centre", trust=GREENWAY, open_date=date(2016, 9, 1))
    b.school(
        SIXTEEN_19, f"{b.stem()} Sixth Form College", trust=QUAYSIDE, open_date=date(2014, 9, 1)
    )

    _history(b)
    _causing_concern(b)
    return b.schools


def _history(b: _Borough) -> None:
    """Three closed schools and one proposed to open, each with the story in its notes."""
    # A community secondary that converted to an academy: the academy is a new school.
    stem = b.stem()
    converted = date(2013, 8, 1)
    academy = b.school(CONVERTER_SECONDARY, f"{stem} Academy", trust=RIVERSIDE, open_date=converted)
    old = b.school(
        SECONDARY,
        f"{stem} School",
        status=SchoolStatus.CLOSED,
        close_date=converted - timedelta(days=1),
        notes=f"Became {academy.name} (URN {academy.urn}) on 01/08/2013.",
    )
    academy.notes = f"Academy converter; the school before it was {old.name} (URN {old.urn})."
    _same_site(old, academy)

    # An infant school amalgamated with its junior school, which became a primary school.
    stem = b.stem()
    primary = b.school(PRIMARY, f"{stem} Primary School")
    b.school(
        INFANT,
        f"{stem} Infants' School",
        status=SchoolStatus.CLOSED,
        close_date=date(2019, 8, 31),
        notes=(
            f"Amalgamated with {stem} Junior School on 01/09/2019; the junior school "
            f"became {primary.name} (URN {primary.urn})."
        ),
    )
    primary.notes = (
        f"Was {stem} Junior School until 31/08/2019; took in the infants' school's pupils."
    )
    _same_site(b.schools[-1], primary)

    # A primary school closed because fewer children live in its area.
    closed = b.school(
        PRIMARY,
        f"{b.stem()} Primary School",
        status=SchoolStatus.CLOSED,
        close_date=date(2024, 8, 31),
        notes="Closed because of falling rolls; its pupils were offered places nearby.",
    )
    closed.pupils_on_roll = b.rng.randint(95, 160)

    # A free school for the new homes on the Isle of Dogs.
    b.school(
        FREE_PRIMARY,
        f"{b.stem()} Primary School",
        trust=QUAYSIDE,
        status=SchoolStatus.PROPOSED,
        open_date=date(2027, 9, 1),
        district="E14",
        notes="Approved free school for the new homes at Blackwall Reach; opens "
        "September 2027, subject to the funding agreement.",
    )


def _same_site(school: School, other: School) -> None:
    """Two schools on one site (a federation, a school and its successor) share an address."""
    school.street, school.locality, school.postcode = other.street, other.locality, other.postcode


def _causing_concern(b: _Borough) -> None:
    """Four schools the office is worried about, with the reason in their notes."""
    rng = b.rng
    open_maintained = [
        s
        for s in b.schools
        if s.status is SchoolStatus.OPEN
        and s.ofsted_date is not None
        and s.phase == "Primary"
        and s.establishment_type in ("Community school", "Voluntary aided school")
    ]
    academies = [
        s
        for s in b.schools
        if s.status is SchoolStatus.OPEN
        and s.ofsted_date is not None
        and s.establishment_type.startswith("Academy")
    ]
    chosen = rng.sample(open_maintained, 3) + rng.sample(academies, 1)
    grades = ["Requires improvement", "Requires improvement", "Serious weaknesses", "Inadequate"]
    reasons = [
        "Second Requires improvement judgement; support plan agreed with the authority.",
        "Falling outcomes at Key Stage 2; monitoring visits every half term.",
        "Serious weaknesses found at inspection; the governing body has been strengthened.",
        "Inadequate at inspection; the trust has asked the partnership for leadership support.",
    ]
    for school, grade, reason in zip(chosen, grades, reasons, strict=True):
        school.ofsted_grade = grade
        school.causing_concern = True
        school.notes = f"{school.notes} {reason}".strip()


# -- the steps that add the borough --------------------------------------------------------------
def staff_step(session: Session, rng: random.Random, actor: Actor, progress: StepProgress) -> None:
    """The partnership's staff, who are the schools' link officers."""
    for index, (name, job_title, _patch) in enumerate(STAFF):
        first, last = name.split(" ", 1)
        local = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        session.add(
            StaffMember(
                full_name=name,
                job_title=job_title,
                email=f"{local}@{STAFF_DOMAIN}",
                phone=f"020 7946 09{10 + index}",
                active=True,
                created_by=actor.name,
                updated_by=actor.name,
            )
        )
    session.flush()
    progress.report(1, 1, "Link officers")


def schools_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The schools, their contacts and link officers; one flush per school."""
    names = [name for name, _job, _patch in STAFF]
    staff_ids: dict[str, int] = {}
    for staff_id, full_name in session.execute(
        select(StaffMember.id, StaffMember.full_name)
        .where(StaffMember.full_name.in_(names))
        .order_by(StaffMember.id)
    ):
        staff_ids[full_name] = staff_id  # the newest of a name: the one the last step added
    links = dict(staff_ids)
    for name, _job, patch in STAFF:
        links.setdefault(patch, staff_ids[name])
    schools = _borough(_Borough(rng, links, actor))
    for index, school in enumerate(schools):
        progress.report(index, len(schools), school.name)
        session.add(school)
        session.flush()
        session.add_all(census_figures(school, actor))
        session.flush()
    progress.report(len(schools), len(schools), "Schools")


def inspection_weekday(day: date) -> bool:
    """A Tuesday, Wednesday or Thursday in term time: when the demo's inspections fall."""
    in_holidays = (
        day.month == 8
        or (day.month == 7 and day.day > 20)
        or (day.month == 12 and day.day > 18)
        or (day.month == 1 and day.day < 6)
        or (day.month == 4 and day.day < 14)
    )
    return day.weekday() in (1, 2, 3) and not in_holidays
