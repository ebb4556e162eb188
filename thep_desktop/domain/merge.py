"""Merge fields in letter templates: ``{school.name}`` replaced by the recipient's value.

A field is written in braces, ``{group.name}`` or ``{today}``; ``{{`` and ``}}`` print a
brace. Templates are checked against the known fields before anything prints, and the
values are plain text: escaping for the PDF is the letter engine's job, so a school called
``St Mary & St John's <Primary>`` prints exactly so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class MergeError(ValueError):
    """A template cannot be merged; ``problems`` maps the template's part to what is wrong."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("\n".join(self.problems.values()))


def fields_in(text: str) -> list[str]:
    """The merge fields named in ``text``, in order of first use (malformed ones included)."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is not None:
            seen.setdefault(name.strip(), None)
    return list(seen)


def check_text(text: str, known: Iterable[str], part: str = "text") -> str | None:
    """What is wrong with the merge fields of ``text`` (one sentence), or ``None``."""
    known_set = set(known)
    unknown: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token == "{":
            return f"The {part} has a “{{” without a closing “}}” (write {{{{ to print a brace)."
        if token == "}":
            return f"The {part} has a “}}” without an opening “{{” (write }}}} to print a brace)."
        name = (match.group(1) or "").strip()
        if not _NAME.match(name) or name not in known_set:
            if name not in unknown:
                unknown.append(name)
    if unknown:
        shown = ", ".join(f"{{{n}}}" for n in unknown)
        noun = "field" if len(unknown) == 1 else "fields"
        return f"The {part} uses the unknown merge {noun} {shown}; choose fields from the list."
    return None


def check_template(parts: Mapping[str, str], known: Iterable[str]) -> None:
    """Raise :class:`MergeError` naming each part (subject, body…) with a bad field."""
    known_list = list(known)
    problems = {}
    for part, text in parts.items():
        problem = check_text(text, known_list, part)
        if problem:
            problems[part] = problem
    if problems:
        raise MergeError(problems)


def merge(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each field replaced by its value. The template must have been checked."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        if name not in values:
            raise KeyError(name)
        return values[name]

    return _TOKEN.sub(replace, text)
