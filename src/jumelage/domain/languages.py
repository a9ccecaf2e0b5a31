"""The interface languages (German, English, French) and how a request asks for one."""

from __future__ import annotations

from typing import Final, Literal, get_args

# An interface language, as a type the API's schemas can state.
Language = Literal["en", "de", "fr"]
LANGUAGES: Final[tuple[str, ...]] = get_args(Language)
# The same in the order lists and messages name them: de, en, fr.
ALPHABETICAL: Final = tuple(sorted(LANGUAGES))


def _accepted(header: str) -> list[str]:
    """Languages of an Accept-Language header, most wanted first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def from_accept_language(header: str | None) -> str | None:
    for tag in _accepted(header or ""):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return None
