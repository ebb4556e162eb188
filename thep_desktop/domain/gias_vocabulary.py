"""One spelling for each GIAS phase, establishment type and status, whichever year's file."""

from __future__ import annotations

import re

from thep_desktop.domain.schools import SchoolStatus

# GIAS's phases of education, spelt as GIAS spells them now.
GIAS_PHASES = (
    "Not applicable",
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "16 plus",
    "All-through",
)
# GIAS's types of establishment, spelt as GIAS spells them now.
GIAS_ESTABLISHMENT_TYPES = (
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "City technology college",
    "Community special school",
    "Non-maintained special school",
    "Other independent special school",
    "Other independent school",
    "Foundation special school",
    "Pupil referral unit",
    "Local authority nursery school",
    "Further education",
    "Secure units",
    "Offshore schools",
    "Service children's education",
    "Miscellaneous",
    "Academy sponsor led",
    "Higher education institutions",
    "Welsh establishment",
    "Sixth form centres",
    "Special post 16 institution",
    "Academy special sponsor led",
    "Academy converter",
    "Free schools",
    "Free schools special",
    "British schools overseas",
    "Free schools alternative provision",
    "Free schools 16 to 19",
    "University technical college",
    "Studio schools",
    "Academy alternative provision converter",
    "Academy alternative provision sponsor led",
    "Academy special converter",
    "Academy 16-19 converter",
    "Academy 16 to 19 sponsor led",
    "Online provider",
    "Institution funded by other government department",
    "Academy secure 16 to 19",
)
# Spellings older files used that differ by more than capitals, hyphens and "to" (which
# the key below already ignores).
_OLD_SPELLINGS = {
    "la nursery school": "Local authority nursery school",
    "special post 16 institutions": "Special post 16 institution",
    "service childrens education": "Service children's education",
}
_STATUSES = {
    "open": SchoolStatus.OPEN,
    "open but proposed to close": SchoolStatus.OPEN,
    "proposed to open": SchoolStatus.PROPOSED,
    "closed": SchoolStatus.CLOSED,
}


def vocabulary_key(text: str) -> str:
    """What two spellings of one value share: "All through", "All-through" -> "all through".

    Capitals, hyphens, dashes, commas, apostrophes and a "to" between numbers ("16 to 19",
    "16-19") are ignored, and spaces are collapsed.
    """
    key = text.lower().replace("’", "'").replace("'", "")
    key = re.sub(r"(\d)\s+to\s+(\d)", r"\1 \2", key)
    key = re.sub(r"[-–—,]", " ", key)
    return " ".join(key.split())


_PHASE_OF_KEY = {vocabulary_key(p): p for p in GIAS_PHASES}
_TYPE_OF_KEY = {vocabulary_key(t): t for t in GIAS_ESTABLISHMENT_TYPES} | _OLD_SPELLINGS


def normalise_phase(text: str) -> str:
    """GIAS's current spelling of a phase ("All through" in 2018 -> "All-through").

    A phase GIAS has never used is kept as given (spaces tidied), so nothing is lost.
    """
    return _PHASE_OF_KEY.get(vocabulary_key(text), " ".join(text.split()))


def normalise_establishment_type(text: str) -> str:
    """GIAS's current spelling of a type ("Academy Sponsor Led" -> "Academy sponsor led")."""
    return _TYPE_OF_KEY.get(vocabulary_key(text), " ".join(text.split()))


def gias_status(text: str) -> SchoolStatus | None:
    """The register's status for a GIAS status, however it is spelt; None if it is not one."""
    return _STATUSES.get(vocabulary_key(text))
