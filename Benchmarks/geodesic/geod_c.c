/* Baseline for the geodesic workload: PROJ's geod_inverse called from C in a plain loop, on the
 * same pairs file as geodesic-bench and the pyproj peer. It tells how much of convoy's time per
 * pair is the C library itself (as built by Debian) and how much is the Swift wrapper.
 *
 *   cc -O2 -o geod_c geod_c.c $(pkg-config --cflags --libs proj)
 *   ./geod_c PAIRS.f64 OUT.f64      → one JSON line: pairs, seconds, per_pair_us, proj
 */
#include <geodesic.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: geod_c PAIRS.f64 OUT.f64\n"); return 2; }
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 2; }
    fseek(in, 0, SEEK_END);
    long bytes = ftell(in);
    rewind(in);
    double *v = malloc(bytes);
    if (!v || fread(v, 1, bytes, in) != (size_t)bytes) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    fclose(in);
    long n = bytes / 8 / 4;
    double *out = malloc(3 * n * sizeof(double));
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++)
        geod_inverse(&g, v[i], v[n + i], v[2 * n + i], v[3 * n + i], &out[i], &out[n + i], &out[2 * n + i]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(out, sizeof(double), 3 * n, o) != (size_t)(3 * n)) { fprintf(stderr, "cannot write %s\n", argv[2]); return 2; }
    fclose(o);
    PJ_INFO info = proj_info();
    printf("{\"pairs\": %ld, \"seconds\": %.6f, \"per_pair_us\": %.4f, \"proj\": \"%s\"}\n", n, s, s / n * 1e6, info.version);
    return 0;
}
