"""Merge fields: checking templates and filling them in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thep_desktop.domain.merge import MergeError, check_template, check_text, fields_in, merge

KNOWN = ["school.name", "contact.full_name", "today", "member.fee_due"]


def test_fields_are_replaced_by_their_values() -> None:
    text = "Dear {contact.full_name}, {school.name} owes {member.fee_due} on {today}."
    values = {
        "contact.full_name": "Ms Begum",
        "school.name": "St Mary & St John's <Primary>",
        "member.fee_due": "£2,100.00",
        "today": "25 November 2026",
    }
    assert merge(text, values) == (
        "Dear Ms Begum, St Mary & St John's <Primary> owes £2,100.00 on 25 November 2026."
    )
    assert fields_in(text) == ["contact.full_name", "school.name", "member.fee_due", "today"]


def test_values_that_look_like_fields_are_not_merged_again() -> None:
    assert merge("{school.name}", {"school.name": "{today}"}) == "{today}"


def test_double_braces_print_a_brace() -> None:
    assert merge("{{not a field}} {today}", {"today": "x"}) == "{not a field} x"
    assert check_text("{{not a field}}", KNOWN) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Dear {school.nmae},", "unknown merge field {school.nmae}"),
        ("{a} and {b} and {a}", "unknown merge fields {a}, {b}"),
        ("Fee {member.fee_due", "without a closing"),
        ("Fee member.fee_due}", "without an opening"),
        ("{School.Name}", "unknown merge field {School.Name}"),
        ("{}", "unknown merge field {}"),
    ],
)
def test_bad_fields_are_named(text: str, message: str) -> None:
    problem = check_text(text, KNOWN, "body")
    assert problem is not None and message in problem and "body" in problem


def test_a_template_is_checked_part_by_part() -> None:
    with pytest.raises(MergeError) as caught:
        check_template({"subject": "{school.name}", "body": "{school.urn}"}, KNOWN)
    assert list(caught.value.problems) == ["body"]
    assert "{school.urn}" in str(caught.value)


_PIECES = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=8).map(lambda t: (t, t)),
    st.just(("{{", "{")),
    st.just(("}}", "}")),
    st.sampled_from(KNOWN).map(lambda f: ("{" + f + "}", f"<{f}>")),
)


@given(st.lists(_PIECES, max_size=12))
def test_any_well_formed_template_merges_to_the_expected_text(pieces) -> None:  # type: ignore[no-untyped-def]
    template = "".join(p[0] for p in pieces)
    expected = "".join(p[1] for p in pieces)
    assert check_text(template, KNOWN) is None
    assert merge(template, {f: f"<{f}>" for f in KNOWN}) == expected


def _merged_by_hand(text: str, values: dict[str, str]) -> str:
    """What a merge must give, worked out a character at a time (a second, simple reading)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in ("{{", "}}"):
            out.append(pair[0])
            i += 2
        elif text[i] == "{":
            end = text.index("}", i)
            out.append(values[text[i + 1 : end]])
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# Any text at all, and text made mostly of braces and known fields, where the mistakes are.
_ANY_TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["{", "}", "{{", "}}", "x", " ", *(f"{{{f}}}" for f in KNOWN)]),
        max_size=10,
    ).map("".join),
)


@given(_ANY_TEXT)
def test_checking_never_crashes_and_passed_text_merges(text: str) -> None:
    problem = check_text(text, KNOWN)  # any text: a message or None, never an exception
    values = {f: f"<{f.upper()}>" for f in KNOWN}
    if problem is None:
        assert merge(text, values) == _merged_by_hand(text, values)
    else:
        assert isinstance(problem, str) and problem


@given(st.text(alphabet=st.characters(blacklist_characters="{}")))
def test_text_without_braces_is_unchanged(text: str) -> None:
    assert check_text(text, KNOWN) is None
    assert merge(text, {}) == text
