# Dumps Natural Earth 1:50m admin-0 polygons (map units and countries) and the tiny-country points
# from Debian's r-cran-rnaturalearthdata (CC0) as plain text for make_countries.py:
#   U <layer> <unit> <iso_a2> <adm0_a3> <gu_a3> <type>\t<name>\t<sovereignt>
#   P <part> <hole 0|1>          a ring follows, one "lon lat" per line
# Usage: Rscript Gazetteer/tools/naturalearth_dump.R > ne50.txt
suppressMessages(library(sp))
dump <- function(layer, data) {
  d <- data@data
  for (i in seq_len(nrow(d))) {
    a2 <- ifelse(is.na(d$iso_a2[i]), "NA", as.character(d$iso_a2[i]))
    gu <- if ("gu_a3" %in% names(d)) as.character(d$gu_a3[i]) else "NA"
    cat(sprintf("U %s %d %s %s %s %s\t%s\t%s\t%s\t%s\t%s\n", layer, i, a2, d$adm0_a3[i], gu,
                gsub(" ", "_", d$type[i]), d$name[i], d$sovereignt[i], d$admin[i], d$name_long[i], d$formal_en[i]))
    if (is(data, "SpatialPointsDataFrame")) {
      xy <- coordinates(data)[i, ]
      cat(sprintf("P 1 0\n%.6f %.6f\n", xy[1], xy[2]))
    } else {
      parts <- data@polygons[[i]]@Polygons
      for (j in seq_along(parts)) {
        cat(sprintf("P %d %d\n", j, as.integer(parts[[j]]@hole)))
        xy <- parts[[j]]@coords
        cat(sprintf("%.6f %.6f", xy[, 1], xy[, 2]), sep = "\n")
      }
    }
  }
}
for (layer in c("map_units50", "countries50", "tiny_countries50")) {
  e <- new.env()
  data(list = layer, package = "rnaturalearthdata", envir = e)
  dump(layer, get(layer, envir = e))
}
