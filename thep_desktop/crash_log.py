"""The program's log file: a rotating file in the user log folder, where tracebacks go."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from thep_desktop import config

LOG_FILE_NAME = "thep-desktop.log"
# Five files of 1 MB: months of an office's warnings, and never a full disk.
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5

logger = logging.getLogger("thep_desktop")


def log_path() -> Path:
    return config.log_dir() / LOG_FILE_NAME


def start_log() -> Path | None:
    """Send the program's log (warnings and worse, and every traceback) to the log file.

    Returns the file, or None when its folder cannot be made or written (then the log goes
    to stderr only, and the program carries on: a log must never stop it).
    """
    path = log_path()
    for handler in logger.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        print(f"The program's log cannot be written to {path}: {exc}", file=sys.stderr)
        return None
    # A library that configures logging for itself (logging.config's default
    # disable_existing_loggers; import-linter's does) would silence the program's own
    # loggers made before it: the log of what went wrong must never be silenced.
    for name, found in list(logging.root.manager.loggerDict.items()):
        if isinstance(found, logging.Logger) and (name + ".").startswith("thep_desktop."):
            found.disabled = False
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return path


def stop_log() -> None:
    """Close the log file (tests, and the end of the program)."""
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()


def record_crash(
    kind: type[BaseException],
    value: BaseException,
    tb: TracebackType | None,
    about: list[str],
) -> str:
    """Write an unexpected error to the log (and stderr); return the details to show and copy.

    ``about`` is what the person's support needs alongside the traceback: the program's
    version, the open database, Python, Qt and SQLAlchemy.
    """
    trace = "".join(traceback.format_exception(kind, value, tb))
    details = "\n".join(about) + "\n\n" + trace
    logger.error("An unexpected error:\n%s", details.rstrip())
    if sys.stderr is not None:  # a windowed program on Windows has no stderr at all
        sys.stderr.write(trace)
    return details
