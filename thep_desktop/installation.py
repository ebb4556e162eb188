"""Where the program's own files are (resources, migrations), and whether they are all there."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from thep_desktop.domain.errors import OfficeError

PACKAGE = Path(__file__).resolve().parent

# The letters embed these fonts: without any one of them no letter can be made.
FONTS = (
    "Carlito-Regular.ttf",
    "Carlito-Bold.ttf",
    "Carlito-Italic.ttf",
    "Carlito-BoldItalic.ttf",
)
ICON = "app-icon.png"

REINSTALL = (
    "The program's installation is damaged: install THE Partnership Office again "
    "(your database and backups are kept apart from the program and are not affected)."
)


class DamagedInstallation(OfficeError):
    """A file the program itself ships with is missing: say which, and what to do."""


def resources_dir() -> Path:
    """The ``resources`` folder: in the package once installed, beside it in a checkout.

    A wheel and the packaged program (PyInstaller) carry it as ``thep_desktop/resources``;
    a source checkout and an editable install read the repository's top-level ``resources/``
    directly, so the repository keeps one copy.
    """
    for folder in (PACKAGE / "resources", PACKAGE.parent / "resources"):
        if (folder / "fonts").is_dir():
            return folder
    # A bundle made by PyInstaller keeps data under sys._MEIPASS; the package's own path
    # normally is there too, but a spec may place the folder at the top.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "resources" / "fonts").is_dir():
        return Path(bundle) / "resources"
    raise DamagedInstallation(
        f"The program's resources folder (fonts and icon) is missing: it should be at "
        f"{PACKAGE / 'resources'}. {REINSTALL}"
    )


def resource(*parts: str) -> Path:
    """One file of ``resources/``; a missing one is named, with what to do."""
    path = resources_dir().joinpath(*parts)
    if not path.is_file():
        raise DamagedInstallation(f"The program's file {path} is missing. {REINSTALL}")
    return path


def font_path(name: str) -> Path:
    return resource("fonts", name)


def migrations_dir() -> Path:
    return PACKAGE / "migrations"


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*(?:['"]([^'"]+)['"]|None)""", re.M)


def read_revision_graph(versions: Path) -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the revision files as text.

    A chain with a gap (a revision file missing from the middle) or no file at all is a
    damaged installation, said in words: upgrading through it would be impossible, and a
    database at the missing revision would wrongly look as if made by a newer program.
    """
    graph: dict[str, str | None] = {}
    for path in sorted(versions.glob("*.py")):
        found = dict(
            (m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))
        )
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision")
    if not graph:
        raise DamagedInstallation(
            f"The program's database migrations are missing from {versions}. {REINSTALL}"
        )
    for revision, follows in sorted(graph.items()):
        if follows is not None and follows not in graph:
            raise DamagedInstallation(
                f"The program's database migration {follows} (which {revision} follows) is "
                f"missing from {versions}. {REINSTALL}"
            )
    return graph


_graphs: dict[Path, dict[str, str | None]] = {}


def migration_graph() -> dict[str, str | None]:
    """The installed migrations' graph, read once per process (the start-up check reads it,
    and opening a database asks again)."""
    versions = migrations_dir() / "versions"
    if versions not in _graphs:
        _graphs[versions] = read_revision_graph(versions)
    return _graphs[versions]


def check_installation() -> None:
    """Every file the program reads at run time is there, or DamagedInstallation says which.

    Cheap (a few file checks and the migrations' first lines), so both programs run it
    before they open a database: a damaged install is named before anything is changed.
    """
    for name in FONTS:
        font_path(name)
    resource(ICON)
    migration_graph()


# __main__ starts the program when imported; the migrations are read by Alembic (its env.py
# runs a migration when imported), and ship as files.
_NOT_IMPORTED = "thep_desktop.__main__"
_NOT_IMPORTED_PACKAGE = "thep_desktop.migrations"


def missing_modules() -> tuple[int, list[str]]:
    """Import every module of the program; how many, and each that failed with its reason.

    A packaged program is only as whole as its builder's list of modules: this finds a
    module (or a library one of them needs) left out, without waiting for the window or
    command that would have needed it.
    """
    import importlib
    import pkgutil

    import thep_desktop

    count = 0
    failed: list[str] = []
    for module in pkgutil.walk_packages(thep_desktop.__path__, "thep_desktop."):
        if module.name == _NOT_IMPORTED or module.name.startswith(_NOT_IMPORTED_PACKAGE):
            continue
        count += 1
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # noqa: BLE001 - each reported, with its reason
            failed.append(f"{module.name}: {type(exc).__name__}: {exc}")
    return count, failed
