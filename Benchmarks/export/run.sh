#!/usr/bin/env bash
# GeoJSON export of a 1,000,000-point track: convoy (release build) against GDAL's ogr2ogr
# converting the same points from CSV. Prints wall time and peak memory (max RSS) of each,
# median of N runs, and the ratios.   Benchmarks/export/run.sh [POINTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
points=${1:-1000000}
runs=${2:-3}
work=${BENCH_WORK:-/tmp/convoy-bench-export}
mkdir -p "$work"
scripts/system-packages.sh gdal-bin time bc
(cd Benchmarks && swift build -c release --product export-bench --scratch-path ../.build-bench >&2)
bench=.build-bench/release/export-bench
[ -f "$work/points-$points.csv" ] || python3 Benchmarks/export/make_points.py "$points" "$work/points-$points.csv"

measure() {  # label, command…  → "seconds maxrss_kb" per run on stdout
  local label=$1; shift
  for _ in $(seq "$runs"); do
    rm -f "$work/out-$label.geojson"
    /usr/bin/time -f "%e %M" -o "$work/time-$label" "$@" >/dev/null 2>&1
    cat "$work/time-$label"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

convoy_runs=$(measure convoy "$bench" "$work/points-$points.csv" "$work/out-convoy.geojson")
gdal_runs=$(measure gdal ogr2ogr -f GeoJSON "$work/out-gdal.geojson" "$work/points-$points.csv" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo AUTODETECT_TYPE=YES)
c_time=$(echo "$convoy_runs" | awk '{print $1}' | median); c_mem=$(echo "$convoy_runs" | awk '{print $2}' | median)
g_time=$(echo "$gdal_runs" | awk '{print $1}' | median); g_mem=$(echo "$gdal_runs" | awk '{print $2}' | median)
printf '%-22s %10s %12s\n' "GeoJSON export" "median s" "peak MiB"
printf '%-22s %10.2f %12.1f\n' "convoy export-bench" "$c_time" "$(echo "$c_mem / 1024" | bc -l)"
printf '%-22s %10.2f %12.1f\n' "ogr2ogr (CSV→GeoJSON)" "$g_time" "$(echo "$g_mem / 1024" | bc -l)"
printf 'ratio: convoy takes %.2fx the time of ogr2ogr and %.2fx its peak memory (%s points, %s runs)\n' \
  "$(echo "$c_time / $g_time" | bc -l)" "$(echo "$c_mem / $g_mem" | bc -l)" "$points" "$runs"
ls -l "$work/out-convoy.geojson" "$work/out-gdal.geojson" | awk '{print $5, $9}'
