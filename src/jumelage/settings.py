"""Settings from the environment, each with a working default.

Every setting is listed in `SETTINGS` with its meaning; `docs/configuration.md`
documents the same list and a test keeps the two in step. A bad value fails at
start-up with a message that names the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "JUMELAGE_DATA_DIR",
        "~/.local/share/jumelage (or $XDG_DATA_HOME/jumelage)",
        "Directory for the embedded SQLite database and backups.",
    ),
    Setting(
        "JUMELAGE_DATABASE_URL",
        "sqlite:///<JUMELAGE_DATA_DIR>/jumelage.sqlite3",
        "SQLAlchemy URL of the database: sqlite:///path or postgresql+psycopg://user@host/db.",
    ),
    Setting("JUMELAGE_HOST", "127.0.0.1", "Address the web server binds to."),
    Setting("JUMELAGE_PORT", "8000", "TCP port of the web server (1-65535)."),
    Setting(
        "JUMELAGE_WORKERS",
        "number of CPU cores",
        "Worker processes of `jumelage serve` (1-64).",
    ),
    Setting(
        "JUMELAGE_DORMANT_YEARS",
        "3",
        "A link with no recorded activity for this many years is listed as dormant.",
    ),
    Setting(
        "JUMELAGE_AWARD_MIN_YEARS",
        "3",
        "Minimum years between two levels of the Europe Prize ladder (the statutes say "
        "'several years').",
    ),
    Setting(
        "JUMELAGE_SECRET_KEY",
        "generated once and kept in <JUMELAGE_DATA_DIR>/secret.key",
        "Key that signs session cookies and CSRF tokens.",
    ),
    Setting(
        "JUMELAGE_SECURE_COOKIES",
        "0",
        "Set to 1 when the site is served over HTTPS so that cookies carry the Secure flag.",
    ),
    Setting(
        "JUMELAGE_MAX_BODY_BYTES",
        "1048576",
        "Largest request body the web app accepts, in bytes.",
    ),
    Setting(
        "JUMELAGE_RESPONSE_CACHE_MB",
        "64",
        "Memory each worker gives to anonymous API answers it keeps until the data changes "
        "(1-4096 MiB; the least recently used go first).",
    ),
    Setting("JUMELAGE_LOG_LEVEL", "info", "Log level: debug, info, warning or error."),
    Setting(
        "JUMELAGE_THREADS",
        "2 on SQLite, 20 on PostgreSQL",
        "How many requests each worker of `jumelage serve` computes at once, in each of its "
        "two sets of threads (0: by database).",
    ),
    Setting(
        "JUMELAGE_PIN_WORKERS",
        "0",
        "With several workers, keep each worker process on a core of its own (Linux).",
    ),
    Setting(
        "JUMELAGE_WARM_UP",
        "1",
        "`jumelage serve` computes the statistics page's figures and the partner matcher in "
        "the background at start and again once writes have paused, so that no visitor "
        "waits for them; 0 leaves them to the first request that needs them.",
    ),
    Setting(
        "JUMELAGE_SOURCES",
        "../shared/data next to the repository",
        "Dataset build only: the folder of raw sources that `jumelage dataset build` reads.",
    ),
)

_LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str
    port: int
    workers: int
    dormant_years: int
    award_min_years: int
    secret_key: str | None
    secure_cookies: bool
    max_body_bytes: int
    log_level: str
    warm_up: bool = True
    threads: int | None = None  # threads per worker in each pool (api.offload); None: by database
    pin_workers: bool = False  # each worker process on a core of its own (Linux)
    response_cache_mb: int = 64  # memory bound of each worker's response cache (api.cache)


def _default_data_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jumelage"


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} is outside {low}..{high}")
    return value


def _bool(env: Mapping[str, str], name: str, default: str = "0") -> bool:
    raw = env.get(name, default).strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("", "0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use 1 or 0)")


def _database_url(env: Mapping[str, str], data_dir: Path) -> str:
    raw = env.get("JUMELAGE_DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{data_dir / 'jumelage.sqlite3'}"
    # Imported here so that reading the settings (as `jumelage --help` does) stays light.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(f"JUMELAGE_DATABASE_URL={raw!r} is not a database URL") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(
            f"JUMELAGE_DATABASE_URL uses {url.get_backend_name()!r}; "
            "jumelage supports sqlite and postgresql"
        )
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        # psycopg 3 is the driver we test; plain postgresql:// would pick psycopg2.
        raw = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return raw


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    data_dir_raw = env.get("JUMELAGE_DATA_DIR", "").strip()
    data_dir = Path(data_dir_raw).expanduser() if data_dir_raw else _default_data_dir(env)
    log_level = env.get("JUMELAGE_LOG_LEVEL", "info").strip().lower() or "info"
    if log_level not in _LOG_LEVELS:
        raise SettingsError(f"JUMELAGE_LOG_LEVEL={log_level!r} is not one of {_LOG_LEVELS}")
    return Settings(
        data_dir=data_dir,
        database_url=_database_url(env, data_dir),
        host=env.get("JUMELAGE_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int(env, "JUMELAGE_PORT", 8000, 1, 65535),
        workers=_int(env, "JUMELAGE_WORKERS", os.cpu_count() or 1, 1, 64),
        dormant_years=_int(env, "JUMELAGE_DORMANT_YEARS", 3, 1, 100),
        award_min_years=_int(env, "JUMELAGE_AWARD_MIN_YEARS", 3, 0, 50),
        secret_key=env.get("JUMELAGE_SECRET_KEY") or None,
        secure_cookies=_bool(env, "JUMELAGE_SECURE_COOKIES"),
        max_body_bytes=_int(env, "JUMELAGE_MAX_BODY_BYTES", 1_048_576, 1024, 1_073_741_824),
        log_level=log_level,
        warm_up=_bool(env, "JUMELAGE_WARM_UP", "1"),
        threads=_int(env, "JUMELAGE_THREADS", 0, 0, 256) or None,
        pin_workers=_bool(env, "JUMELAGE_PIN_WORKERS", "0"),
        response_cache_mb=_int(env, "JUMELAGE_RESPONSE_CACHE_MB", 64, 1, 4096),
    )
