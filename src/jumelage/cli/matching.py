"""Commands for matching."""

from __future__ import annotations
