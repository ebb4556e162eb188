"""A letter to one member from the Memberships tab: the mail merge window, all chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog


def member_letter_dialog(
    services: Services, member_id: int, template_key: str, parent: QWidget | None = None
) -> MailMergeDialog:
    """The mail merge window writing ``template_key`` ("welcome", "notice_ack"…) to the member.

    Everything else is as in any mailing: the letter's date, the check of who gets a letter
    (and why a member would be left out), one PDF or a letter each, the history kept.
    """
    template = services.letters.find_template(services.actor, template_key)
    return MailMergeDialog(
        services, [], [], parent, template_id=template.id, chosen_member_ids=[member_id]
    )


def open_member_letter(
    services: Services, member_id: int, template_key: str, parent: QWidget | None = None
) -> MailMergeDialog:
    """Open that window beside ``parent`` (not blocking the tab) and return it."""
    dialog = member_letter_dialog(services, member_id, template_key, parent)
    dialog.show()
    return dialog
