"""The close of a letter follows its salutation, in British usage."""

from __future__ import annotations

import pytest

from thep_desktop.services.letters.sign_off import FAITHFULLY, SINCERELY, is_named, sign_off_for


@pytest.mark.parametrize(
    "salutation",
    [
        "Dear Ms Begum,",
        "Dear Mr Luke Rahman,",
        "Dear Rahima,",
        "Dear Dr O'Neill,",
        "Dear Mrs Smith-Jones",
        "Dear Zoë,",
        "Dear Revd Canon Ahmed,",
    ],
)
def test_a_named_salutation_closes_yours_sincerely(salutation: str) -> None:
    assert is_named(salutation)
    assert sign_off_for(salutation, "Yours sincerely") == SINCERELY
    assert sign_off_for(salutation, "Yours faithfully") == SINCERELY
    assert sign_off_for(salutation, "") == SINCERELY


@pytest.mark.parametrize(
    "salutation",
    [
        "Dear Sir or Madam,",
        "Dear Sir/Madam,",
        "Dear Sirs,",
        "Dear Sir,",
        "Dear Madam",
        "Dear Head Teacher,",
        "Dear Headteacher,",
        "Dear Chair of Governors,",
        "Dear School Business Manager,",
        "Dear Colleague,",
        "Dear Colleagues,",
        "",
    ],
)
def test_an_unnamed_salutation_closes_yours_faithfully(salutation: str) -> None:
    assert not is_named(salutation)
    assert sign_off_for(salutation, "Yours sincerely") == FAITHFULLY
    assert sign_off_for(salutation, "yours  faithfully") == FAITHFULLY


def test_a_formal_close_is_kept_whatever_the_salutation() -> None:
    assert sign_off_for("Dear Sir or Madam,", "By order of the Board") == "By order of the Board"
    assert sign_off_for("Dear Ms Begum,", "With best wishes") == "With best wishes"
