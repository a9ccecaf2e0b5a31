"""Commands for programmes."""

from __future__ import annotations
