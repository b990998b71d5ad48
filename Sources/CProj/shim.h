// The two PROJ headers convoy uses: geodesic.h (Karney's geodesics) and proj.h (CRS transforms).
#include <proj.h>
#include <geodesic.h>
