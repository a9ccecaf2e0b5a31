"""Place-name folding for search and entity resolution.

A name is folded to lower-case ASCII without accents or punctuation so that
"Köln", "KOLN", "koln" and "Koeln" meet, and "Košice" matches "Kosice".
German umlauts have two spellings (ö = o or oe); `fold` drops the diacritic
("köln" -> "koln") and `fold_variants` also yields the "oe" spelling.

Letters of other scripts (Cyrillic, Greek, Armenian, Georgian, Arabic, CJK …)
are transliterated (anyascii), so "Москва" folds to "moskva" and meets the
Latin "Moskva". A typed query in Cyrillic is also read the way Russian writes
German names (`query_keys`: "Кёльн" -> "koln", "Мюнхен" -> "munchen").
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


def _other_script(ch: str) -> bool:
    """A letter of a script other than Latin (whose letters keep today's folding)."""
    return (
        ord(ch) > 0x24F
        and unicodedata.category(ch)[0] == "L"
        and not unicodedata.name(ch, "").startswith("LATIN")
    )


def _transliterated(text: str) -> str:
    if not any(_other_script(ch) for ch in text):
        return text
    from anyascii import anyascii  # loaded only for names in another script

    # A soft or hard sign comes out as an apostrophe, which is no letter of a name.
    return "".join(anyascii(ch).replace("'", "") if _other_script(ch) else ch for ch in text)


def fold(name: str) -> str:
    """Lower-case ASCII with single spaces: the search key of a name."""
    text = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_ALNUM.sub(" ", _transliterated(text).lower())
    return text.strip()


# How Russian writes German names: Кёльн (Köln), Мюнхен (München), Цюрих (Zürich).
_CYRILLIC_GERMAN = str.maketrans(
    {"ё": "ö", "Ё": "Ö", "ю": "ü", "Ю": "Ü", "х": "ch", "Х": "Ch", "ц": "z", "Ц": "Z",
     "ш": "sch", "Ш": "Sch", "й": "", "ь": "", "ъ": ""}
)  # fmt: skip


def query_keys(text: str) -> list[str]:
    """The folded keys a typed name is looked up by, best first: its fold, and for a
    Cyrillic query also its German reading."""
    keys = [fold(text)]
    german = text.translate(_CYRILLIC_GERMAN)
    if german != text:
        keys.append(fold(german))
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


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
