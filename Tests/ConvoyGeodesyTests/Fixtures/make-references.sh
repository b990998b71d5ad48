#!/usr/bin/env bash
# Regenerates the reference files the geodesy tests compare against, with GeographicLib's own
# command-line tools (Debian package geographiclib-tools) — an implementation independent of PROJ's.
#   apt-get install geographiclib-tools && bash Tests/ConvoyGeodesyTests/Fixtures/make-references.sh
# Inputs are the *.in files beside this script; outputs are committed next to them.
set -euo pipefail
cd "$(dirname "$0")"
GeodSolve --version | head -n1 > references-version.txt
# inverse: "lat1 lon1 lat2 lon2" -> full line: lat1 lon1 azi1 lat2 lon2 azi2 s12 a12 m12 M12 M21 S12
grep -v '^#' inverse.in | cut -d'#' -f1 | GeodSolve -i -f -p 10 > inverse.out
# direct: "lat1 lon1 azi1 s12" -> full line as above
grep -v '^#' direct.in | cut -d'#' -f1 | GeodSolve -f -p 10 > direct.out
# positions along the geodesic from A to B: header "lat1 lon1 lat2 lon2", then distances
while read -r lat1 lon1 lat2 lon2 rest; do
  [[ "$lat1" == \#* || -z "$lat1" ]] && continue
  for s in $rest; do echo "$lat1 $lon1 $lat2 $lon2 $s $(echo "$s" | GeodSolve -I "$lat1" "$lon1" "$lat2" "$lon2" -p 10)"; done
done < along.in > along.out
# polyline lengths: each block of "lat lon" lines, blank-line separated; Planimeter -l = polyline
awk 'BEGIN{RS=""} {print > ("polyline-" NR ".tmp")}' polyline.in
: > polyline.out
for f in $(ls polyline-*.tmp | sort -V); do
  echo "$(tr '\n' ' ' < "$f")| $(Planimeter -l -p 10 < "$f")" >> polyline.out
  rm "$f"
done
# UTM zone 37N (EPSG:32637) for the CRS transform: "lat lon" -> "zone easting northing"
grep -v '^#' utm.in | GeoConvert -u -z 37n -p 4 > utm.out
# nearest point of a segment to a point, by brute-force sampling with GeodSolve (see nearest.sh)
bash nearest.sh
