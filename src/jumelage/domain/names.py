"""Place-name folding for search and entity resolution.

A name is folded to lower-case ASCII without accents or punctuation so that
"Köln", "KOLN", "koln" and "Koeln" meet, and "Košice" matches "Kosice".
German umlauts have two spellings (ö = o or oe); `fold` drops the diacritic
("köln" -> "koln") and `fold_variants` also yields the "oe" spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŀ": "l",
        "‘": "",
        "’": "",
        "ʻ": "",
        "ʼ": "",
        "'": "",
        "`": "",
        "´": "",
    }
)
_UMLAUT_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(name: str) -> str:
    """Lower-case ASCII with single spaces: the search key of a name."""
    text = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_ALNUM.sub(" ", text.lower())
    return text.strip()


def fold_variants(name: str) -> set[str]:
    """All folded spellings of a name: plain, and with German umlauts as ae/oe/ue."""
    variants = {fold(name)}
    if any(ch in name for ch in "äöüÄÖÜ"):
        variants.add(fold(name.translate(_UMLAUT_E)))
    variants.discard("")
    return variants


def fold_alt(name: str) -> str | None:
    """The ae/oe/ue spelling of a name with German umlauts, if it differs from `fold`."""
    if not any(ch in name for ch in "äöüÄÖÜ"):
        return None
    alt = fold(name.translate(_UMLAUT_E))
    return alt if alt != fold(name) else None
