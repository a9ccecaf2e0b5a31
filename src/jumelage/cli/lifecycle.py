"""Commands for lifecycle."""

from __future__ import annotations
