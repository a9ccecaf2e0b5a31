"""Regions that figures can be limited to."""

from __future__ import annotations

from typing import Final

# Europe: the countries of the UN M49 region "Europe" (150), Kosovo, and the member
# states of the Council of Europe that M49 places in Asia (Armenia, Azerbaijan,
# Cyprus, Georgia, Turkey) — the municipalities of the European twinning movement.
# Former states whose territory lies in Europe count with it (the USSR as a whole).
_EUROPE_CODES = (
    "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU "
    "IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR "
    "UA VA XK FRG GDR CS SU YU SCG"
)
EUROPE: Final = frozenset(_EUROPE_CODES.split(" "))

REGIONS: Final = {"europe": EUROPE}

REGION_WORDS: Final = {
    "europe": (
        "Europe: the UN M49 region Europe, Kosovo, and the Council of Europe members M49 "
        "places in Asia (AM, AZ, CY, GE, TR); former states on European territory "
        "(FRG, GDR, CS, SU, YU, SCG) with it"
    ),
}
