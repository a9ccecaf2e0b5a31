"""Commands for stats."""

from __future__ import annotations
