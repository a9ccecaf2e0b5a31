"""Name variants and place kinds, as the sources spell them.

A source name carries qualifiers that are not part of the place's name: "Neukölln (Berlin)",
"Berlin – Neukölln", "Porcia, Friuli-Venezia Giulia", "Sigtuna Municipality", "Municipiul
Buzău", "Mito-shi". `variants` yields the folded forms under which a name may meet another
source's name. Words that make a place a region ("County Cork", "Landkreis Rostock",
"Westerwald (district)") are kept, so that a county never meets its town by name; `region_core`
strips them, so that two names of one region ("Kreis Rendsburg-Eckernförde",
"Rendsburg-Eckernförde (district)") can be compared.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from jumelage.domain.names import fold, fold_variants

# Words that name the municipal status of a town; dropping them keeps the same place.
_MUNICIPAL_PREFIX = re.compile(
    r"^(municipiul|municipio( de)?|oras|comuna|gmina|miasto|mesto|obec|opcina|opstina|"
    r"grad|city of|town of|royal borough of|london borough of|metropolitan borough of|"
    r"borough of|stadt|gemeinde|municipality of|ville de|commune de|"
    r"kommune|hrad)\s+",
)
_MUNICIPAL_SUFFIX = re.compile(
    r"\s+(municipality|municipio|kommun|kommune|kunta|vald|linn|city|town|shi|si|machi|"
    r"cho|gun|miasto|gemeente|municipal district|urban municipality|city municipality|"
    r"shire|municipal borough|county borough)$",
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
    r"(\blandkreis\b|\bkreis\b|^\w+kreis$|\boblast\b|\bprafektur\b|\bpraefektur\b|"
    r"\bwoiwodschaft\b|\bkomitat\b|\bgespanschaft\b|\bgouvernement\b|\bdepartamento\b|"
    r"\bdistrikt\b|\brajon\b|\boblys\b|\bprefecture\b|\bken$|"
    r"\bcounty\b(?! borough)|\bprovince\b|\bprovincia\b|\bprovinz\b|\bregion\b|"
    r"\bregione\b|\bregio\b|"
    r"\bvoivodeship\b|\bwojewodztwo\b|\bdepartment\b|\bdepartement\b|\bgovernorate\b|"
    r"\bkrai\b|\bkraj\b|\braion\b|\brayon\b|\bcanton\b|\bkanton\b|\bbundesland\b|"
    r"\bregierungsbezirk\b|\bbezirksamt\b|\bregional unit\b|\bmaakunta\b|\bmegye\b|"
    r"\bcomarca\b|\bautonomous community\b|\bdistrict council\b|\bregional district\b|"
    r"\bstate of\b|\bprovince of\b|\bland\b$|\bfylke\b|\blaan\b|\blan\b$|\bzupanija\b|"
    r"\bcounty council\b|\bsamtgemeinde\b|\bamt\b|\bdistrict municipality\b)",
)


# A kind word alone in brackets: the English lists write a German Landkreis "Westerwald
# (district)", German labels "Bandiagara (Kreis)", "Santiago del Estero (Provinz)".
_KIND_IN_PARENS = {"district", "distrikt", "kreis", "landkreis", "county", "province", "provinz"}

# Words that qualify a region's name, before or after its core ("Landkreis Göttingen",
# "Province of Bergamo", "Göttingen (district)", "Moscow Oblast", "Pomeranian Voivodeship").
_REGION_PREFIX = re.compile(
    r"^(landkreis|kreis|regierungsbezirk|bezirk|provinz|provincia( di| de| del)?|province of|"
    r"prafektur|praefektur|prefecture of|oblast|region|regione|departement|"
    r"departamento( de| del)?|department of|gouvernement|governorate of|woiwodschaft|"
    r"wojewodztwo|komitat|gespanschaft|county|canton of|kanton|rajon|raion|distrikt|"
    r"autonome gemeinschaft|autonomous community of|state of)\s+",
)
_REGION_SUFFIX = re.compile(
    r"\s+(landkreis|kreis|district municipality|district|county|prefecture|oblast|oblys|"
    r"province|provinz|provincia|region|voivodeship|department|departement|raion|rayon|"
    r"governorate|canton|krai|state|distrikt)$",
)
_GLUED_KREIS = re.compile(r"^([a-z]{3,})kreis$")  # "Westerwaldkreis", "Enzkreis"


def _core(folded: str) -> str:
    text = _MUNICIPAL_PREFIX.sub("", folded)
    return _MUNICIPAL_SUFFIX.sub("", text).strip()


def _kind_in_parens(name: str) -> bool:
    match = _PARENS.search(name)
    return match is not None and fold(match.group(1)) in _KIND_IN_PARENS


def _parts(name: str) -> list[str]:
    """The name itself and the pieces a qualifier splits off (never the qualifier alone)."""
    parts = [name]
    if _kind_in_parens(name):
        return parts  # "Göttingen (district)" is not Göttingen
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
    """Spelling similarity (0-100) of two folded names without their municipal affixes (the
    shared "London Borough of" does not make Hackney like Haringey); 0 when they differ in a
    number, as districts do ("Budapest XI" vs "Budapest XV", "Praha 5" vs "Praha 6")."""
    if numerals(a) != numerals(b):
        return 0.0
    return float(fuzz.ratio(_core(a) or a, _core(b) or b))


def region_core(name: str) -> str:
    """The folded name of a region without the words that say it is one ("Landkreis Göttingen",
    "Göttingen (district)" -> "gottingen"); "" when the name carries no such word."""
    folded = fold(name)
    core = _REGION_SUFFIX.sub("", _REGION_PREFIX.sub("", folded)).strip()
    glued = _GLUED_KREIS.match(core)
    if glued:
        core = glued.group(1)
    if core == folded or not core or core.isdigit():
        return ""
    return core


def district_core(name: str) -> str:
    """The folded name of a district without the city it names: "Gangdong (Seoul)",
    "Seoul – Gangdong" -> "gangdong"; "" when the name names no city."""
    if not qualifier(name) or _kind_in_parens(name):
        return ""
    bare = _PARENS.sub(" ", name).strip()
    pieces = _SPACED_DASH.split(bare)
    return fold(pieces[1] if len(pieces) == 2 else bare)


def kind_from_name(name: str) -> str | None:
    """ "district" or "region" when the name says so, else None. A qualifier in brackets
    tells the kind only when it is a kind word: "Doksy (Kladno District)" is a town."""
    if _kind_in_parens(name):
        return "region"
    # "Raša, Istria County", "Horodok, Lviv Oblast": the region after the comma is where the
    # town lies, not what it is.
    folded = fold(_PARENS.sub(" ", name).split(",", 1)[0])
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
