"""Database models. Importing this package registers every table on ``Base.metadata``."""

from thep_desktop.models.audit import AuditEvent
from thep_desktop.models.base import Base, Money, UtcDateTime, round_money
from thep_desktop.models.governance import (
    AgendaItem,
    AgendaPaper,
    Appointment,
    Decision,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    InterestDeclaration,
    Meeting,
    MeetingAttendance,
    MinutesErratum,
)
from thep_desktop.models.invoices import (
    Allocation,
    Customer,
    FeeRun,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSettings,
    NumberSeries,
    Payment,
    ServiceItem,
)
from thep_desktop.models.letters import Correspondence, Document, LetterBatch, LetterTemplate
from thep_desktop.models.memberships import (
    FeePeriodRow,
    FeeSchedule,
    Member,
    MembershipPeriod,
    MembershipRules,
    NoticeException,
)
from thep_desktop.models.offline import OfflineBaseRow, OfflineCopy
from thep_desktop.models.organisation import OrganisationProfile
from thep_desktop.models.peer_reviews import (
    Cluster,
    ClusterSchool,
    Review,
    ReviewCycle,
    Reviewer,
    ReviewSchool,
    SchoolClosure,
    TermDates,
)
from thep_desktop.models.school import Contact, School, SchoolCensus, SchoolStatus
from thep_desktop.models.staff import StaffMember
from thep_desktop.models.users import AppUser

__all__ = [
    "AgendaItem",
    "AgendaPaper",
    "Appointment",
    "Decision",
    "GovernanceAction",
    "GovernancePerson",
    "GoverningBody",
    "InterestDeclaration",
    "Meeting",
    "MeetingAttendance",
    "MinutesErratum",
    "Cluster",
    "ClusterSchool",
    "Review",
    "ReviewCycle",
    "Reviewer",
    "ReviewSchool",
    "SchoolClosure",
    "TermDates",
    "Allocation",
    "AppUser",
    "AuditEvent",
    "Base",
    "Contact",
    "Correspondence",
    "Customer",
    "Document",
    "FeePeriodRow",
    "FeeRun",
    "FeeSchedule",
    "Invoice",
    "InvoiceLine",
    "InvoiceReminder",
    "InvoiceSettings",
    "LetterBatch",
    "LetterTemplate",
    "Member",
    "MembershipPeriod",
    "MembershipRules",
    "Money",
    "NoticeException",
    "NumberSeries",
    "OfflineBaseRow",
    "OfflineCopy",
    "OrganisationProfile",
    "Payment",
    "School",
    "SchoolCensus",
    "SchoolStatus",
    "ServiceItem",
    "StaffMember",
    "UtcDateTime",
    "round_money",
]
