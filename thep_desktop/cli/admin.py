"""``thep-admin``: set up a database, load demo data and read the register, without the GUI.

It calls the same services as the desktop program, as the person logged in to this
computer. Exit codes: 0 done, 1 could not be done (the reason is printed on stderr as one
sentence), 2 the command was typed wrongly, 130 interrupted with Ctrl+C.

Only the standard library is imported here: the program's own modules load inside
:func:`main`, so Ctrl+C during the second or so that takes is handled like any other.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    try:
        from thep_desktop.cli.commands import run_main
        from thep_desktop.cli.shared.output import visible_output

        # Stored text (a school's name) never reaches the terminal as escape sequences.
        with visible_output():
            return run_main(argv)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
