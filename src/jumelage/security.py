"""The secret key that signs session cookies and CSRF tokens."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from jumelage.settings import Settings


def secret_key(settings: Settings) -> str:
    """JUMELAGE_SECRET_KEY, or a key generated once and kept in the data directory."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret.key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created readable by the owner only; O_EXCL so two workers cannot both write one.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
