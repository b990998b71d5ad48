#!/usr/bin/env bash
# Nearest point of a geodesic segment to a point, by brute force with GeodSolve alone: positions
# along the segment (GeodSolve -I, the inverse line) and their distances to the point (GeodSolve -i),
# sampled every L/2000, then refined around the best sample every 1 m, then every 1 mm.
#   nearest.in: "lat1 lon1 lat2 lon2 latP lonP" -> nearest.out: the six inputs, s (metres from A), d (metres)
set -euo pipefail
cd "$(dirname "$0")"
best() {  # $1..$6 the case, $7 from, $8 step, $9 count -> "s d" of the nearest sample
  local lat1=$1 lon1=$2 lat2=$3 lon2=$4 latp=$5 lonp=$6 from=$7 step=$8 count=$9 length
  length=$(echo "$lat1 $lon1 $lat2 $lon2" | GeodSolve -i -p 9 | awk '{print $3}')
  awk -v f="$from" -v h="$step" -v n="$count" -v L="$length" \
    'BEGIN { for (i = 0; i <= n; i++) { s = f + i * h; if (s < 0) s = 0; if (s > L) s = L; printf "%.6f\n", s } }' > nearest.s.tmp
  GeodSolve -I "$lat1" "$lon1" "$lat2" "$lon2" -p 12 < nearest.s.tmp | awk -v p="$latp $lonp" '{print $1, $2, p}' \
    | GeodSolve -i -p 9 | awk '{print $3}' | paste -d' ' nearest.s.tmp - | sort -g -k2 | head -n1
}
: > nearest.out
grep -v '^#' nearest.in | cut -d'#' -f1 | while read -r lat1 lon1 lat2 lon2 latp lonp; do
  [ -z "$lat1" ] && continue
  length=$(echo "$lat1 $lon1 $lat2 $lon2" | GeodSolve -i -p 9 | awk '{print $3}')
  coarse=$(awk -v L="$length" 'BEGIN { printf "%.6f", L / 2000 }')
  read -r s _ < <(best "$lat1" "$lon1" "$lat2" "$lon2" "$latp" "$lonp" 0 "$coarse" 2000)
  read -r s _ < <(best "$lat1" "$lon1" "$lat2" "$lon2" "$latp" "$lonp" "$(awk -v s="$s" -v c="$coarse" 'BEGIN{printf "%.6f", s - c}')" 1 "$(awk -v c="$coarse" 'BEGIN{printf "%d", 2 * c + 2}')")
  read -r s d < <(best "$lat1" "$lon1" "$lat2" "$lon2" "$latp" "$lonp" "$(awk -v s="$s" 'BEGIN{printf "%.6f", s - 1}')" 0.001 2000)
  echo "$lat1 $lon1 $lat2 $lon2 $latp $lonp $s $d" >> nearest.out
done
rm -f nearest.s.tmp
