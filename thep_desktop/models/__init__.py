"""Database models. Importing this package registers every table on ``Base.metadata``."""

from thep_desktop.models.audit import AuditEvent
from thep_desktop.models.base import Base, Money, UtcDateTime, round_money
from thep_desktop.models.letters import Correspondence, Document, LetterBatch, LetterTemplate
from thep_desktop.models.memberships import (
    FeePayment,
    FeePeriodRow,
    FeeSchedule,
    Member,
    MembershipPeriod,
    MembershipRules,
    NoticeException,
)
from thep_desktop.models.organisation import OrganisationProfile
from thep_desktop.models.school import Contact, School, SchoolCensus, SchoolStatus
from thep_desktop.models.staff import StaffMember
from thep_desktop.models.users import AppUser

__all__ = [
    "AppUser",
    "AuditEvent",
    "Base",
    "Contact",
    "Correspondence",
    "Document",
    "FeePayment",
    "FeePeriodRow",
    "FeeSchedule",
    "LetterBatch",
    "LetterTemplate",
    "Member",
    "MembershipPeriod",
    "MembershipRules",
    "Money",
    "NoticeException",
    "OrganisationProfile",
    "School",
    "SchoolCensus",
    "SchoolStatus",
    "StaffMember",
    "UtcDateTime",
    "round_money",
]
