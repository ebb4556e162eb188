"""The letters service: templates, recipients, mail merge and history, as one service.

Each job lives in its own module (``letter_templates``, ``letter_recipients``,
``mail_merge``, ``correspondence_history``); this class puts them together so the windows
and thep-admin reach them as ``services.letters``.
"""

from __future__ import annotations

from thep_desktop.database import Database
from thep_desktop.reports.letters.letter_pdf import LetterError
from thep_desktop.services.letters.correspondence_history import (
    CorrespondenceHistory,
    CorrespondenceRow,
)
from thep_desktop.services.letters.letter_recipients import Recipient, Skipped
from thep_desktop.services.letters.letter_templates import (
    MERGED_PARTS,
    TEMPLATE_FIELDS,
    TEMPLATE_LABELS,
    TemplateDetail,
    TemplateInput,
)
from thep_desktop.services.letters.mail_merge import (
    MailMerge,
    MergeResult,
    academic_year_of,
    letterhead_from,
    sent_elsewhere,
)
from thep_desktop.services.memberships.fees_service import FeesService
from thep_desktop.services.memberships.members_service import MembersService
from thep_desktop.services.settings.organisation_service import OrganisationService


class LettersService(MailMerge, CorrespondenceHistory):
    def __init__(self, database: Database) -> None:
        self.db = database
        self._organisation = OrganisationService(database)
        self._members = MembersService(database)
        self._fees = FeesService(database)


__all__ = [
    "MERGED_PARTS",
    "TEMPLATE_FIELDS",
    "TEMPLATE_LABELS",
    "CorrespondenceRow",
    "LetterError",
    "LettersService",
    "MergeResult",
    "Recipient",
    "Skipped",
    "TemplateDetail",
    "TemplateInput",
    "academic_year_of",
    "sent_elsewhere",
    "letterhead_from",
]
