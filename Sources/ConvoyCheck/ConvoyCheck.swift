// ConvoyCheck: finding place names in report text and checking them against the gazetteer (issue 5).
