"""Where this computer keeps the program's files, and the few settings that are not in the database.

The local database lives in the platform's user data folder (on Windows
``%LOCALAPPDATA%\\THE Partnership\\THE Partnership Office``); the name of the database used
last is remembered in the user config folder, and the log in the user log folder.
``THEP_DATA_DIR``, ``THEP_CONFIG_DIR`` and ``THEP_LOG_DIR`` override them (tests and portable
installs use them).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_documents_dir, user_log_dir

from thep_desktop.domain.files import file_message, new_file_message

APP_NAME = "THE Partnership Office"
APP_AUTHOR = "THE Partnership"
DEFAULT_DB_FILENAME = "partnership-office.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("THEP_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    override = os.environ.get("THEP_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """Where the program's log is written (on Windows ``%LOCALAPPDATA%\\…\\Logs``)."""
    override = os.environ.get("THEP_LOG_DIR")
    return Path(override) if override else Path(user_log_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return data_dir() / DEFAULT_DB_FILENAME


def _settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> dict[str, object]:
    try:
        value = json.loads(_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# The settings that hold database addresses; save_settings takes any password out of them.
ADDRESS_SETTINGS = ("last_database", "recent_databases", "demo_declined")


def save_settings(settings: dict[str, object]) -> bool:
    """Write the settings; False (and a warning in words) when the config folder refuses.

    The settings only remember things (the database used last, folders, column widths):
    a folder that cannot be written to must not stop the program, so this never raises.
    Every database address in them is written without its password.
    """
    settings = dict(settings)
    for key in ADDRESS_SETTINGS:
        value = settings.get(key)
        if isinstance(value, str):
            settings[key] = without_password(value)
        elif isinstance(value, list):
            settings[key] = [without_password(v) if isinstance(v, str) else v for v in value]
    path = _settings_path()
    tmp = path.with_suffix(".tmp")
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        except OSError as exc:
            raise OSError(new_file_message(path, exc)) from exc
        try:
            tmp.replace(path)
        except OSError as exc:
            raise OSError(file_message(path, exc)) from exc
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        logging.getLogger(__name__).warning("Your settings were not saved. %s", exc)
        return False
    return True


def recent_database_urls() -> list[str]:
    value = load_settings().get("recent_databases", [])
    return [u for u in value if isinstance(u, str) and u] if isinstance(value, list) else []


def last_database_url() -> str | None:
    value = load_settings().get("last_database")
    return value if isinstance(value, str) and value else None


def without_password(url: str) -> str:
    """The address with every password taken out: passwords are never written to settings.

    Both places an address can carry one go: ``user:password@`` and a ``password=`` (or
    ``sslpassword=``) query parameter, which PostgreSQL's drivers accept as well.
    """
    from sqlalchemy.engine import URL, make_url

    from thep_desktop.database import SECRET_PARAMETERS

    try:
        parsed = make_url(url)
    except Exception:  # not an address we understand: take out anything that looks like one
        text = re.sub(r"([^/@?#\s:]*):[^/@?#\s]*@", r"\1@", url)
        return re.sub(r"(?i)(^|[?&\s])(ssl)?password\s*=\s*[^&\s]*&?", r"\1", text)
    query = {k: v for k, v in parsed.query.items() if k.lower() not in SECRET_PARAMETERS}
    if parsed.password is None and len(query) == len(parsed.query):
        return url
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=query,
    )
    return bare.render_as_string(hide_password=False)


def remember_database_url(url: str) -> None:
    url = without_password(url)
    settings = load_settings()
    settings["last_database"] = url
    previous = settings.get("recent_databases")
    previous = previous if isinstance(previous, list) else []
    recent = [u for u in previous if isinstance(u, str) and u != url]
    settings["recent_databases"] = [url, *recent][:8]
    save_settings(settings)


def resolve_database_url(explicit: str | None) -> str:
    """``--db`` if given, else the database used last, else the local default file."""
    from thep_desktop.database import normalise_url, sqlite_url

    if explicit:
        return normalise_url(explicit)
    return last_database_url() or sqlite_url(default_database_path())


def remembered_folder(key: str) -> Path:
    """The folder last used for one kind of file (exports, PDFs…), else the user's Documents."""
    remembered = load_settings().get(key)
    if isinstance(remembered, str) and Path(remembered).is_dir():
        return Path(remembered)
    documents = Path(user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def remember_folder(key: str, folder: Path) -> None:
    settings = load_settings()
    settings[key] = str(folder)
    save_settings(settings)


def ui_state(name: str) -> dict[str, object]:
    """How this user last left one part of the window (columns, panes), or {} the first time."""
    states = load_settings().get("ui", {})
    value = states.get(name) if isinstance(states, dict) else None
    return value if isinstance(value, dict) else {}


def save_ui_state(name: str, state: dict[str, object]) -> None:
    settings = load_settings()
    states = settings.get("ui")
    states = dict(states) if isinstance(states, dict) else {}
    states[name] = state
    settings["ui"] = states
    save_settings(settings)
