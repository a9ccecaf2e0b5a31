"""Name variants and place kinds, as the sources spell them.

A source name carries qualifiers that are not part of the place's name: "Neukölln (Berlin)",
"Berlin – Neukölln", "Porcia, Friuli-Venezia Giulia", "Sigtuna Municipality", "Municipiul
Buzău", "Mito-shi". `variants` yields the folded forms under which a name may meet another
source's name. Words that make a place a region ("County Cork", "Landkreis Rostock") are kept,
so that a county never meets its town by name.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from jumelage.domain.names import fold, fold_variants

# Words that name the municipal status of a town; dropping them keeps the same place.
_MUNICIPAL_PREFIX = re.compile(
    r"^(municipiul|municipio( de)?|oras|comuna|gmina|miasto|mesto|obec|opcina|opstina|"
    r"grad|city of|town of|borough of|stadt|gemeinde|municipality of|ville de|commune de|"
    r"kommune|hrad)\s+",
)
_MUNICIPAL_SUFFIX = re.compile(
    r"\s+(municipality|municipio|kommun|kommune|kunta|vald|linn|city|town|shi|si|machi|"
    r"cho|gun|miasto|gemeente|municipal district|urban municipality|city municipality|"
    r"shire|municipal borough)$",
)
_HYPHEN_SUFFIX = re.compile(r"-(shi|si|machi|cho|gun)$", re.IGNORECASE)
_SPACED_DASH = re.compile(r"\s+[–—-]\s+")
_PARENS = re.compile(r"\s*\(([^)]*)\)\s*")

_DISTRICT = re.compile(
    r"(\b\d+(st|nd|rd|th)? (district|arrondissement|bezirk|kerulet)\b|"
    r"\bdistrict \d+\b|\b(london|royal) borough of\b|\barrondissement\b|"
    r"\bstadtbezirk\b|\bbezirk \w+|\bkerulet\b|\bdzielnica\b|\bmestska cast\b|"
    r"\b(praha|prague) \d+\b|\bgu$|\bku$|\bward$|\bsubdistrict\b|\bdistrict$)",
)
_REGION = re.compile(
    r"(\blandkreis\b|\bkreis\b|kreis$|\boblast\b|\boblys\b|\bprefecture\b|\bken$|"
    r"\bcounty\b|\bprovince\b|\bprovincia\b|\bprovinz\b|\bregion\b|\bregione\b|\bregio\b|"
    r"\bvoivodeship\b|\bwojewodztwo\b|\bdepartment\b|\bdepartement\b|\bgovernorate\b|"
    r"\bkrai\b|\bkraj\b|\braion\b|\brayon\b|\bcanton\b|\bkanton\b|\bbundesland\b|"
    r"\bregierungsbezirk\b|\bbezirksamt\b|\bregional unit\b|\bmaakunta\b|\bmegye\b|"
    r"\bcomarca\b|\bautonomous community\b|\bdistrict council\b|\bregional district\b|"
    r"\bstate of\b|\bprovince of\b|\bland\b$|\bfylke\b|\blaan\b|\blan\b$|\bzupanija\b|"
    r"\bcounty council\b|\bsamtgemeinde\b|\bamt\b)",
)


def _core(folded: str) -> str:
    text = _MUNICIPAL_PREFIX.sub("", folded)
    return _MUNICIPAL_SUFFIX.sub("", text).strip()


def _parts(name: str) -> list[str]:
    """The name itself and the pieces a qualifier splits off (never the qualifier alone)."""
    parts = [name]
    bare = _PARENS.sub(" ", name).strip()
    if bare and bare != name:
        parts.append(bare)
    pieces = _SPACED_DASH.split(bare)
    if len(pieces) == 2:
        # "Berlin – Neukölln": the part after the dash is the district, the part before the
        # city; only the district is this place's own name.
        parts.append(pieces[1])
    if "," in bare:
        parts.append(bare.split(",", 1)[0])
    return parts


def variants(name: str) -> set[str]:
    """Folded spellings under which `name` may be matched to the same place."""
    out: set[str] = set()
    for part in _parts(name):
        for folded in fold_variants(part):
            out.add(folded)
            core = _core(folded)
            if core:
                out.add(core)
    out.discard("")
    return out


def qualifier(name: str) -> str:
    """The parent place named in a qualifier: "Neukölln (Berlin)" and "Berlin – Neukölln"."""
    match = _PARENS.search(name)
    if match:
        return match.group(1).strip()
    pieces = _SPACED_DASH.split(name)
    return pieces[0].strip() if len(pieces) == 2 else ""


_ROMAN = re.compile(r"^[ivxl]+$")


def numerals(folded: str) -> set[str]:
    """Number-like words of a folded name: "budapest xv" -> {"xv"}, "praha 5" -> {"5"}."""
    out = set()
    for word in folded.split():
        if word.isdigit() or (len(word) > 1 and _ROMAN.match(word)) or word[:-2].isdigit():
            out.add(word)
    return out


def similarity(a: str, b: str) -> float:
    """Spelling similarity (0-100) of two folded names; 0 when they differ in a number, as
    districts do ("Budapest XI" vs "Budapest XV", "Praha 5" vs "Praha 6")."""
    if numerals(a) != numerals(b):
        return 0.0
    return float(fuzz.ratio(a, b))


def kind_from_name(name: str) -> str | None:
    """ "district" or "region" when the name says so, else None."""
    folded = fold(name)
    if _DISTRICT.search(folded):
        return "district"
    if _REGION.search(folded):
        return "region"
    return None


def display_name(name: str) -> str:
    """A gazetteer name without its municipal-status affix ("Municipiul Buzău" -> "Buzău");
    "Town" and "City" stay, being part of many names (Cape Town, Jersey City)."""
    name = _HYPHEN_SUFFIX.sub("", name.strip())
    folded = fold(name)
    if folded.endswith((" town", " city")):
        return name
    core = _core(folded)
    if core == folded:
        return name.strip()
    words = name.split()
    # Drop as many leading/trailing words as the folded form lost.
    lost_front = len(folded.split()) - len(_MUNICIPAL_PREFIX.sub("", folded).split())
    kept = words[lost_front:]
    lost_back = len(_MUNICIPAL_PREFIX.sub("", folded).split()) - len(core.split())
    if lost_back:
        kept = kept[: len(kept) - lost_back]
    text = " ".join(kept).strip()
    return text or name.strip()
