// ConvoyRoute: the convoy update log, replay along road paths, and position queries (issue 3).
