"""The one rule for text any door accepts: what no database can store is refused.

The API's request bodies and the web's forms both ask `unstorable`, so a value
one door refuses is refused by the other too.
"""

from __future__ import annotations

from typing import Any

_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}


def unstorable(value: Any, depth: int = 0) -> str | None:
    """Why a (nested) value holds text that cannot be stored (NUL, other control
    characters, lone surrogates), or None."""
    if depth > 20:
        return "nesting too deep"
    if isinstance(value, str):
        if any(ch in _CONTROL for ch in value):
            return "text must not contain NUL or other control characters"
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            return "text must be valid Unicode (no lone surrogates)"
        return None
    if isinstance(value, dict):
        items: list[Any] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return None
    for item in items:
        problem = unstorable(item, depth + 1)
        if problem:
            return problem
    return None
