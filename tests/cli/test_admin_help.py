"""``thep-admin --help`` describes every command; each command's --help says what it does."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from thep_desktop.cli.commands import build_parser, run_main


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), helps.get(name, ""), sub
                yield from _commands(sub, (*path, name))


def test_every_command_and_subcommand_has_a_summary_and_a_description() -> None:
    found = list(_commands(build_parser()))
    names = {" ".join(path) for path, _, _ in found}
    assert {"init", "migrate", "demo", "schools list", "schools show", "import-gias"} <= names
    assert {"import-pupils", "export schools", "letters templates", "letters render"} <= names
    for path, summary, sub in found:
        assert len(summary) > 10, f"thep-admin --help gives no summary for {' '.join(path)}"
        assert sub.description and len(sub.description) > 10, (
            f"thep-admin {' '.join(path)} --help has no description"
        )


def test_top_level_help_lists_every_command_with_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_main(["--help"]) == 0
    out = capsys.readouterr().out
    for path, summary, _ in _commands(build_parser()):
        if len(path) == 1:
            assert path[0] in out and summary in out
    assert "examples:" in out and "Exit codes" in out
