"""The close of a letter in British usage: "Yours sincerely" or "Yours faithfully".

A letter to a named person ("Dear Ms Begum") closes "Yours sincerely"; one to an unnamed
reader ("Dear Sir or Madam") closes "Yours faithfully". A mail merge writes to some schools
by name and, where no contact is recorded, to "Sir or Madam", so the close is chosen for
each letter from its salutation as merged. A template's own close other than these two
("By order of the Board" on a formal notice, "With best wishes") prints as written.

Decided: a job title is not a name. "Dear Head Teacher" or "Dear Chair of Governors"
addresses whoever holds the post, unnamed, and so closes "Yours faithfully", as the style
guides for formal British letters have it. A first name alone ("Dear Rahima") is a name.
"""

from __future__ import annotations

import re

SINCERELY = "Yours sincerely"
FAITHFULLY = "Yours faithfully"
FOLLOWS_SALUTATION = frozenset({SINCERELY.casefold(), FAITHFULLY.casefold()})

# Words that address a reader without naming them: the forms for an unknown reader, and the
# posts a school letter is addressed to.
_UNNAMED_WORDS = frozenset(
    """
    sir sirs madam madams mesdames or and the a all to of for
    colleague colleagues member members friend friends parent parents carer carers
    head heads teacher teachers headteacher headteachers headmaster headmistress
    principal executive deputy assistant acting interim chair chairs vice co
    governor governors governing board body trustee trustees director directors
    manager managers business school schools bursar finance officer officers
    secretary treasurer clerk administrator administration admissions office
    senco leader leaders team staff partner partners customer customers
    """.split()
)


def is_named(salutation: str) -> bool:
    """Whether ``salutation`` ("Dear Ms Begum,") addresses a person by name."""
    text = salutation.strip().rstrip(",;:!.").strip()
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)
    if words and words[0].casefold() == "dear":
        words = words[1:]
    if not words:
        return False
    return any(word.casefold() not in _UNNAMED_WORDS for word in words)


def sign_off_for(salutation: str, template_sign_off: str) -> str:
    """The close to print after ``salutation``, given the close the template was written with.

    "Yours sincerely" and "Yours faithfully" in a template follow the salutation of each
    letter; any other close is kept. A blank close follows the salutation too.
    """
    written = " ".join(template_sign_off.split())
    if written and written.casefold() not in FOLLOWS_SALUTATION:
        return written
    return SINCERELY if is_named(salutation) else FAITHFULLY
