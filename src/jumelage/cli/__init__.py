"""The `jumelage` command line. Each command's docstring is its help text.

The command modules import the application (services, store, matching, the web
layer) inside their functions, never at module level, so that `jumelage --help`
and every `--help` answer without loading it; `tests/cli/test_startup.py`
checks which modules a help loads.
"""

from __future__ import annotations

from jumelage.cli import (
    accounts,
    core,
    curation,
    lifecycle,
    matching,
    networks,
    operations,
    programmes,
    stats,
)
from jumelage.cli.common import EMPTY_REGISTRY, WORKS_WHEN_EMPTY, app, main

# Each command module registers its commands on `app` when imported (above).
COMMAND_MODULES = (
    accounts,
    core,
    curation,
    lifecycle,
    matching,
    networks,
    operations,
    programmes,
    stats,
)

__all__ = ["COMMAND_MODULES", "EMPTY_REGISTRY", "WORKS_WHEN_EMPTY", "app", "main"]
