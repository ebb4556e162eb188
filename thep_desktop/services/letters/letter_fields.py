"""The merge fields a letter template may use, and the built-in templates the program ships.

Each field belongs to a group and has a source:

- ``recipient``: from the school and the chosen contact (filled for every letter);
- ``organisation``: from the organisation profile;
- ``letter``: the date, the academic year, the reference, the signatory;
- ``mailing``: typed once for a whole mailing in the mail-merge window (a meeting's date
  and place, a review visit's date), because the area that will hold them is not yet
  recorded for every mailing;
- ``membership``: from the member's record (the membership on the letter's date, the fee
  calculator's quote for that academic year, what is overdue); a letter that needs one for
  a school that is not a member, or a value the record does not hold (no notice given,
  nothing overdue), is left out for that recipient with the reason;
- ``invoice``: from one overdue invoice (its number, dates and what is still owed); only the
  invoice reminders fill them, one letter per invoice, so a template that uses one is
  produced from the invoices' reminders and refused by the mail merge;
- ``review``: from one peer review (the host, the visit's dates, the team, the focus); only
  the confirmation letters of the Peer reviews tab fill them, one letter to the host and one
  to each reviewing school, so a template that uses one is refused by the mail merge too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldInfo:
    name: str
    label: str
    group: str
    source: str
    example: str


FIELDS: tuple[FieldInfo, ...] = (
    # the school
    FieldInfo("school.name", "School name", "School", "recipient", "Bow Common Primary School"),
    FieldInfo("school.urn", "URN", "School", "recipient", "100234"),
    FieldInfo("school.dfe_number", "DfE number", "School", "recipient", "211/2345"),
    FieldInfo("school.phase", "Phase", "School", "recipient", "Primary"),
    FieldInfo("school.type", "Type of school", "School", "recipient", "Community school"),
    FieldInfo(
        "school.address",
        "Address (one line)",
        "School",
        "recipient",
        "Ben Jonson Road, London E1 4SD",
    ),
    FieldInfo("school.postcode", "Postcode", "School", "recipient", "E1 4SD"),
    FieldInfo("school.head_teacher", "Head teacher", "School", "recipient", "Ms Rahima Begum"),
    FieldInfo(
        "school.chair_of_governors", "Chair of governors", "School", "recipient", "Mr Tom Price"
    ),
    FieldInfo("school.pupils", "Pupils on roll", "School", "recipient", "420"),
    FieldInfo("school.census_date", "Census date of pupils", "School", "recipient", "16/01/2026"),
    FieldInfo("school.trust", "Trust", "School", "recipient", "Stepney Learning Trust"),
    FieldInfo("school.link_officer", "Link officer", "School", "recipient", "Amina Hussain"),
    # the person written to
    FieldInfo("contact.full_name", "Contact's name", "Contact", "recipient", "Ms Rahima Begum"),
    FieldInfo(
        "contact.salutation",
        "Name after “Dear” (or “Sir or Madam”)",
        "Contact",
        "recipient",
        "Ms Begum",
    ),
    FieldInfo("contact.role", "Contact's role", "Contact", "recipient", "Head teacher"),
    FieldInfo("contact.email", "Contact's email", "Contact", "recipient", "head@bowcommon.sch.uk"),
    # who we are
    FieldInfo(
        "org.name",
        "Organisation name",
        "Organisation",
        "organisation",
        "Tower Hamlets Education Partnership",
    ),
    FieldInfo(
        "org.address",
        "Organisation address (one line)",
        "Organisation",
        "organisation",
        "229 Bethnal Green Road, London E2 6AB",
    ),
    FieldInfo("org.phone", "Organisation phone", "Organisation", "organisation", "020 7364 0000"),
    FieldInfo(
        "org.email",
        "Organisation email",
        "Organisation",
        "organisation",
        "info@the-partnership.org.uk",
    ),
    FieldInfo(
        "org.website",
        "Organisation website",
        "Organisation",
        "organisation",
        "www.the-partnership.org.uk",
    ),
    FieldInfo(
        "org.company_secretary",
        "Company secretary",
        "Organisation",
        "organisation",
        "Samuel Okafor",
    ),
    FieldInfo("org.bank_name", "Bank", "Organisation", "organisation", "Lloyds Bank"),
    FieldInfo(
        "org.bank_account_name",
        "Bank account name",
        "Organisation",
        "organisation",
        "Tower Hamlets Education Partnership",
    ),
    FieldInfo("org.bank_sort_code", "Sort code", "Organisation", "organisation", "30-94-57"),
    FieldInfo(
        "org.bank_account_number", "Account number", "Organisation", "organisation", "12345678"
    ),
    # this letter
    FieldInfo("today", "Today's date", "Letter", "letter", "25 November 2026"),
    FieldInfo("academic_year", "This academic year", "Letter", "letter", "2026/27"),
    FieldInfo("next_academic_year", "Next academic year", "Letter", "letter", "2027/28"),
    FieldInfo("our_ref", "Our reference", "Letter", "letter", "WEL/100234"),
    FieldInfo("sender.name", "Signed by", "Letter", "letter", "Helen Marsh"),
    FieldInfo("sender.role", "Signatory's role", "Letter", "letter", "Executive Director"),
    # typed for the mailing
    FieldInfo(
        "meeting.name",
        "Meeting (e.g. Annual General Meeting)",
        "Meeting",
        "mailing",
        "Annual General Meeting",
    ),
    FieldInfo("meeting.date", "Meeting date", "Meeting", "mailing", "Thursday 14 January 2027"),
    FieldInfo("meeting.time", "Meeting time", "Meeting", "mailing", "4.00 pm"),
    FieldInfo(
        "meeting.place",
        "Meeting place",
        "Meeting",
        "mailing",
        "Professional Development Centre, 229 Bethnal Green Road, E2 6AB",
    ),
    FieldInfo(
        "meeting.business",
        "Business of the meeting",
        "Meeting",
        "mailing",
        "to receive the accounts and to appoint directors",
    ),
    FieldInfo(
        "visit.date", "Review visit date", "Peer review", "mailing", "Tuesday 9 February 2027"
    ),
    FieldInfo("visit.focus", "Review focus", "Peer review", "mailing", "Reading in Key Stage 2"),
    FieldInfo("visit.team", "Review team", "Peer review", "mailing", "Ms A Khan (lead), Mr B Osei"),
    # from the membership record
    FieldInfo(
        "member.name", "Member's name", "Membership", "membership", "Bow Common Primary School"
    ),
    FieldInfo(
        "member.reference",
        "Member's payment reference (a school's URN)",
        "Membership",
        "membership",
        "100234",
    ),
    FieldInfo("member.category", "Membership category", "Membership", "membership", "full member"),
    FieldInfo("member.admitted_on", "Date admitted", "Membership", "membership", "01/04/2017"),
    FieldInfo("member.guarantee", "Guarantee", "Membership", "membership", "£25.00"),
    FieldInfo("member.fee_due", "Fee due", "Membership", "membership", "£2,100.00"),
    FieldInfo("member.fee_year", "Year the fee is for", "Membership", "membership", "2026/27"),
    FieldInfo(
        "member.fee_basis",
        "How the fee is worked out",
        "Membership",
        "membership",
        "420 pupils x £5.00 = £2,100.00; pupils on roll at the census of 15/01/2026",
    ),
    FieldInfo(
        "member.notice_received_on",
        "Date notice to leave was received",
        "Membership",
        "membership",
        "12/11/2026",
    ),
    FieldInfo(
        "member.notice_terms",
        "Why membership ends when it does",
        "Membership",
        "membership",
        "one year's notice from the day it was received",
    ),
    FieldInfo(
        "member.leaving_on", "Date membership ends", "Membership", "membership", "12/11/2027"
    ),
    FieldInfo("member.amount_overdue", "Amount overdue", "Membership", "membership", "£1,050.00"),
    # from the overdue invoice a reminder is about
    FieldInfo("invoice.number", "Invoice number", "Invoice", "invoice", "INV-000123"),
    FieldInfo("invoice.date", "Invoice date", "Invoice", "invoice", "01/09/2026"),
    FieldInfo("invoice.due_date", "Date payment was due", "Invoice", "invoice", "01/10/2026"),
    FieldInfo("invoice.total", "Invoice total", "Invoice", "invoice", "£2,100.00"),
    FieldInfo(
        "invoice.outstanding", "Amount still owed on the invoice", "Invoice", "invoice", "£1,050.00"
    ),
    FieldInfo("invoice.days_overdue", "Days overdue", "Invoice", "invoice", "21"),
    FieldInfo(
        "invoice.reference", "Invoice reference", "Invoice", "invoice", "Membership fee 2026/27"
    ),
    FieldInfo("invoice.customer", "Invoiced to", "Invoice", "invoice", "Bow Common Primary School"),
    # from the peer review a confirmation letter is about
    FieldInfo("review.host_name", "Host school", "Peer review", "review", "Cayley Primary School"),
    FieldInfo(
        "review.host_head", "Host school's head teacher", "Peer review", "review", "Ms Ruth Adeyemi"
    ),
    FieldInfo(
        "review.host_address",
        "Host school's address (one line)",
        "Peer review",
        "review",
        "Aston Street, London E14 7NG",
    ),
    FieldInfo(
        "review.visit_dates",
        "Date(s) of the visit, in words",
        "Peer review",
        "review",
        "Tuesday 4 and Wednesday 5 November 2025",
    ),
    FieldInfo("review.visit_length", "Length of the visit", "Peer review", "review", "two days"),
    FieldInfo(
        "review.team",
        "Reviewing schools",
        "Peer review",
        "review",
        "Globe Primary School and Harry Gosling Primary School",
    ),
    FieldInfo(
        "review.reviewers",
        "Review team, one reviewer a line (the lead marked)",
        "Peer review",
        "review",
        "- Mr Mark Ellis, Headteacher, Globe Primary School (lead reviewer)\n"
        "- Ms Nadia Hussain, Deputy Headteacher, Harry Gosling Primary School",
    ),
    FieldInfo(
        "review.lead_reviewer",
        "Lead reviewer",
        "Peer review",
        "review",
        "Mr Mark Ellis, Headteacher, Globe Primary School",
    ),
    FieldInfo(
        "review.focus",
        "Focus areas (one line)",
        "Peer review",
        "review",
        "reading in Key Stage 2; attendance",
    ),
    FieldInfo(
        "review.focus_list",
        "Focus areas, one a line",
        "Peer review",
        "review",
        "- Reading in Key Stage 2\n- Attendance",
    ),
    FieldInfo("review.cluster", "Cluster", "Peer review", "review", "Isle of Dogs"),
    FieldInfo("review.year", "Academic year of the review", "Peer review", "review", "2025/26"),
)
FIELD_NAMES = frozenset(f.name for f in FIELDS)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def example_values() -> dict[str, str]:
    """A value for every field, for previewing a template without a real recipient."""
    return {f.name: f.example for f in FIELDS}


@dataclass(frozen=True)
class BuiltinTemplate:
    key: str
    name: str
    description: str
    subject: str
    body: str
    contact_role: str
    salutation: str = "Dear {contact.salutation},"
    # "Yours sincerely" becomes "Yours faithfully" in a letter to "Sir or Madam".
    sign_off: str = "Yours sincerely"
    # Blank: signed by the organisation profile's default signatory (the Executive Director).
    signatory: str = ""
    signatory_role: str = ""


BUILTIN_TEMPLATES: tuple[BuiltinTemplate, ...] = (
    BuiltinTemplate(
        key="welcome",
        name="Welcome to membership",
        description="To a member newly admitted: a school, an organisation or a person.",
        contact_role="Head teacher",
        subject="Welcome to {org.name}",
        body=(
            "I am delighted to confirm that {member.name} was admitted as a member of "
            "{org.name} on {member.admitted_on} ({member.category}). Welcome to the "
            "partnership.\n\n"
            "Members have access to the partnership's programmes for leaders, teachers and "
            "governors, and member schools take part in peer review with one another. We will "
            "be in touch shortly about what is planned for this year.\n\n"
            "Membership carries three commitments: to support the aims and values of the "
            "partnership; to pay the annual membership fee; and to contribute up to "
            "{member.guarantee} if the company is ever wound up owing debts. Withdrawal needs "
            "one year's notice in writing.\n\n"
            "Your membership fee for {member.fee_year} is {member.fee_due} "
            "({member.fee_basis}); an invoice follows separately.\n\n"
            "If you have any questions, please contact us at {org.email} or on {org.phone}."
        ),
    ),
    BuiltinTemplate(
        key="notice_ack",
        name="Acknowledgement of withdrawal notice",
        description="Confirms receipt of a member's notice to leave, and when it takes effect.",
        contact_role="Head teacher",
        subject="Your notice to withdraw from membership",
        body=(
            "Thank you for your letter giving notice that {member.name} wishes to withdraw "
            "from membership of {org.name}. We received it on {member.notice_received_on}.\n\n"
            "Under the terms of membership ({member.notice_terms}), the membership ends on "
            "{member.leaving_on}. Until then it continues, with all the benefits and "
            "commitments of membership, including the membership fee for the period.\n\n"
            "We are sorry to see you go. If your circumstances change, you can withdraw this "
            "notice at any time before it takes effect by writing to us. I would also welcome "
            "the chance to hear how the partnership could serve you better."
        ),
    ),
    BuiltinTemplate(
        key="fee_letter",
        name="Annual fee covering letter",
        description="Accompanies the annual membership invoice.",
        contact_role="School business manager",
        subject="Membership fee {member.fee_year}",
        body=(
            "Please find enclosed the invoice for the membership fee of {member.name} for the "
            "academic year {member.fee_year}.\n\n"
            "The fee is {member.fee_due}, worked out as {member.fee_basis}. Fees are payable "
            "in advance.\n\n"
            "Please pay by BACS to:\n"
            "- Account name: {org.bank_account_name}\n"
            "- Bank: {org.bank_name}\n"
            "- Sort code: {org.bank_sort_code}\n"
            "- Account number: {org.bank_account_number}\n\n"
            "quoting {member.reference} as the reference. If anything on the invoice looks "
            "wrong, please tell us at {org.email} before paying."
        ),
    ),
    BuiltinTemplate(
        key="payment_reminder",
        name="Payment reminder",
        description="A polite reminder of an overdue membership fee.",
        contact_role="School business manager",
        subject="Reminder: membership fee {member.fee_year}",
        body=(
            "Our records show that {member.amount_overdue} of the membership fee of "
            "{member.name} for {member.fee_year} is still outstanding.\n\n"
            "If you have paid in the last few days, thank you, and please ignore this "
            "letter. If not, please arrange payment by BACS to {org.bank_account_name}, sort "
            "code {org.bank_sort_code}, account number {org.bank_account_number}, quoting "
            "{member.reference}.\n\n"
            "If there is a problem with the invoice, or you would like to talk about paying "
            "in instalments, please contact us at {org.email} or on {org.phone}."
        ),
    ),
    BuiltinTemplate(
        key="review_visit",
        name="Peer-review visit confirmation",
        description="Confirms the date, focus and team of a peer-review visit to a host school.",
        contact_role="Head teacher",
        subject="Peer review visit on {visit.date}",
        body=(
            "I am writing to confirm the peer review visit to {school.name} on {visit.date}.\n\n"
            "The focus agreed for the review is: {visit.focus}.\n\n"
            "The review team will be {visit.team}. The lead reviewer will contact you "
            "beforehand to agree the timetable for the day and the information the team "
            "would find helpful.\n\n"
            "Peer review works because schools open their doors to each other as critical "
            "friends. Thank you for hosting. Your link officer, {school.link_officer}, is "
            "available if you have any questions before the visit."
        ),
    ),
    BuiltinTemplate(
        key="general_meeting",
        name="Notice of general meeting",
        description="Gives members notice of a general meeting (at least 14 clear days).",
        contact_role="Head teacher",
        subject="Notice of the {meeting.name}",
        body=(
            "NOTICE IS HEREBY GIVEN that the {meeting.name} of {org.name} will be held at "
            "{meeting.place} on {meeting.date} at {meeting.time}, {meeting.business}.\n\n"
            "Each full member school has one vote, cast by its head teacher or by another "
            "representative the school appoints in writing. Associate members are warmly "
            "invited to attend but do not vote.\n\n"
            "The agenda and papers will be sent to members before the meeting. Please let us "
            "know at {org.email} who will attend for {school.name}."
        ),
        # A formal notice: "By order of the Board" above the company secretary's name.
        sign_off="By order of the Board",
        signatory="{org.company_secretary}",
        signatory_role="Company Secretary",
    ),
    # The invoice reminders (Invoices > Reminders): polite, then firm, then final.
    BuiltinTemplate(
        key="invoice_reminder_first",
        name="Invoice reminder: 1st",
        description="The first, polite reminder of an overdue invoice (sent by the reminders).",
        contact_role="School business manager",
        subject="Reminder: invoice {invoice.number}",
        body=(
            "Our records show that invoice {invoice.number} of {invoice.date} to "
            "{invoice.customer}, for {invoice.total}, was due for payment on "
            "{invoice.due_date}, and that {invoice.outstanding} of it is still "
            "outstanding.\n\n"
            "If you have paid in the last few days, thank you, and please ignore this "
            "letter. If not, please pay by BACS to:\n"
            "- Account name: {org.bank_account_name}\n"
            "- Bank: {org.bank_name}\n"
            "- Sort code: {org.bank_sort_code}\n"
            "- Account number: {org.bank_account_number}\n\n"
            "quoting {invoice.number} as the reference.\n\n"
            "If there is a problem with the invoice, please contact us at {org.email} or on "
            "{org.phone}, and we will put it right."
        ),
    ),
    BuiltinTemplate(
        key="invoice_reminder_second",
        name="Invoice reminder: 2nd",
        description="The second, firmer reminder of an invoice still unpaid.",
        contact_role="School business manager",
        subject="Second reminder: invoice {invoice.number} is overdue",
        body=(
            "We wrote to you recently about invoice {invoice.number} of {invoice.date}, "
            "which was due for payment on {invoice.due_date}. It is now "
            "{invoice.days_overdue} days overdue, and {invoice.outstanding} of "
            "{invoice.total} is still outstanding.\n\n"
            "Please pay the amount outstanding within 14 days, by BACS to "
            "{org.bank_account_name}, sort code {org.bank_sort_code}, account number "
            "{org.bank_account_number}, quoting {invoice.number}.\n\n"
            "If payment is held up (an order number still to be raised, a query about the "
            "invoice), please tell us now at {org.email} or on {org.phone}, so that we can "
            "help."
        ),
    ),
    BuiltinTemplate(
        key="invoice_reminder_final",
        name="Invoice reminder: final",
        description="The final reminder: says what happens if the invoice stays unpaid.",
        contact_role="Head teacher",
        subject="Final reminder: invoice {invoice.number}",
        body=(
            "Despite our earlier reminders, invoice {invoice.number} of {invoice.date} to "
            "{invoice.customer} remains unpaid. It was due on {invoice.due_date} and is now "
            "{invoice.days_overdue} days overdue; {invoice.outstanding} is outstanding.\n\n"
            "Please pay {invoice.outstanding} within 14 days of the date of this letter, by "
            "BACS to {org.bank_account_name}, sort code {org.bank_sort_code}, account number "
            "{org.bank_account_number}, quoting {invoice.number}.\n\n"
            "If it is not paid by then, and we have not agreed with you how it will be paid, "
            "the matter will be reported to the Board of Directors, which may suspend the "
            "benefits of membership and further bookings of our services until the account "
            "is settled.\n\n"
            "If you believe this letter has reached you in error, please contact us at once "
            "at {org.email} or on {org.phone}."
        ),
    ),
    # The peer reviews' confirmation letters (Peer reviews > Print confirmation letters).
    BuiltinTemplate(
        key="review_confirmation_host",
        name="Confirmation of your peer review",
        description="To the host school's head: the visit's date, the team, the focus and what "
        "to prepare (sent from the Peer reviews tab).",
        contact_role="Head teacher",
        subject="Confirmation of your peer review",
        body=(
            "I am pleased to confirm the arrangements for the peer review of {school.name} "
            "in {review.year}.\n\n"
            "- Date of the visit: {review.visit_dates} ({review.visit_length})\n"
            "- Cluster: {review.cluster}\n\n"
            "The review team, from {review.team}, will be:\n\n"
            "{review.reviewers}\n\n"
            "The focus agreed for the review:\n\n"
            "{review.focus_list}\n\n"
            "To prepare for the visit, please agree the timetable for the day with the lead "
            "reviewer, who will contact you beforehand; send the lead reviewer, a week before "
            "the visit, a short summary of your self-evaluation in the focus areas; and arrange "
            "for the team to visit lessons, look at pupils' work, and meet pupils and the "
            "leaders of the focus areas, with a room to work in.\n\n"
            "What the team sees and hears stays confidential to your school; the lead "
            "reviewer's written report will follow the visit. Thank you for hosting. If you have "
            "any questions, please contact us at {org.email} or on {org.phone}."
        ),
    ),
    BuiltinTemplate(
        key="review_confirmation_reviewer",
        name="Confirmation of a peer review visit (reviewing school)",
        description="To each reviewing school's head: which school it reviews, when, with "
        "whom, who leads, the focus and the host's address (sent from the Peer reviews tab).",
        contact_role="Head teacher",
        subject="Peer review of {review.host_name}: confirmation",
        body=(
            "Thank you for {school.name}'s part in this year's peer reviews. I am writing to "
            "confirm that your school will help to review {review.host_name} on "
            "{review.visit_dates} ({review.visit_length}).\n\n"
            "- School reviewed: {review.host_name}, {review.host_address}\n"
            "- Date of the visit: {review.visit_dates}\n"
            "- Cluster: {review.cluster}\n"
            "- Lead reviewer: {review.lead_reviewer}\n\n"
            "The review team will be:\n\n"
            "{review.reviewers}\n\n"
            "The focus agreed for the review:\n\n"
            "{review.focus_list}\n\n"
            "The lead reviewer will contact the team and the host school beforehand to agree "
            "the timetable for the visit and the evidence the team will look at. Reviewers "
            "keep what they see and hear during the visit confidential to the host school.\n\n"
            "Please keep the date free, and tell us at once at {org.email} or on {org.phone} "
            "if your school's reviewer can no longer attend, so that we can arrange cover."
        ),
    ),
)
BUILTINS_BY_KEY = {t.key: t for t in BUILTIN_TEMPLATES}
