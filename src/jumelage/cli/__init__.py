"""The `jumelage` command line. Each command's docstring is its help text.

The command modules import the application (services, store, matching, the web
layer) inside their functions, never at module level, so that `jumelage --help`
and every `--help` answer without loading it; `tests/cli/test_startup.py`
checks which modules a help loads.
"""

from __future__ import annotations

# Each command module registers its commands on `app` when it is imported.
from jumelage.cli import (  # noqa: F401
    accounts,
    core,
    curation,
    lifecycle,
    matching,
    networks,
    operations,
    places,
    programmes,
    stats,
)
from jumelage.cli.common import EMPTY_REGISTRY, WORKS_WHEN_EMPTY, app, main

__all__ = ["EMPTY_REGISTRY", "WORKS_WHEN_EMPTY", "app", "main"]
