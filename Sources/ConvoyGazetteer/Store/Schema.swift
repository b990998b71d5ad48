import GRDB

/// The store's schema, changed only through GRDB's migrator so an existing store upgrades in place.
///
/// - `place`: one row per place, with an integer rowid shared by the R*Tree.
/// - `place_name`: every name, with its normalised `key` (exact lookup) and consonant `skeleton`
///   (suggestions only), both indexed.
/// - `name_fts`: FTS5 over name text and key with the trigram tokenizer, for substring search and
///   fuzzy candidates; rowid = `place_name.rowid`.
/// - `place_rtree`: R*Tree of place positions, the prefilter for spatial queries.
/// - `meta`: fingerprints of the bundled data and of the user's places file, and the NameKey
///   version the keys were built with.
///
/// v2 adds the `countries` and `user` origins, `bundled_layer` (1 for rows written from the
/// bundled files — curated places, countries, the GeoNames cities500 layer — which a rebuild
/// replaces; 0 for GeoNames imports and the user's places) and the ISO codes of countries.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: places, names, FTS5, R*Tree") { db in
            try db.execute(
                sql: """
                    CREATE TABLE place (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        country TEXT,
                        countries TEXT NOT NULL DEFAULT '',
                        admin1 TEXT,
                        admin2 TEXT,
                        part_of TEXT,
                        lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                        lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                        uncertainty_m REAL NOT NULL CHECK (uncertainty_m >= 0),
                        coordinate_source TEXT NOT NULL,
                        source_url TEXT,
                        geonames_id INTEGER,
                        note TEXT,
                        bbox TEXT,
                        origin TEXT NOT NULL CHECK (origin IN ('bundled', 'geonames'))
                    );
                    CREATE INDEX place_kind ON place(kind);
                    CREATE INDEX place_country ON place(country);
                    CREATE INDEX place_geonames ON place(geonames_id);
                    CREATE TABLE place_name (
                        rowid INTEGER PRIMARY KEY,
                        place_rowid INTEGER NOT NULL REFERENCES place(rowid) ON DELETE CASCADE,
                        text TEXT NOT NULL,
                        lang TEXT NOT NULL,
                        script TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        source TEXT,
                        key TEXT NOT NULL,
                        skeleton TEXT NOT NULL
                    );
                    CREATE INDEX place_name_place ON place_name(place_rowid);
                    CREATE INDEX place_name_key ON place_name(key);
                    CREATE INDEX place_name_skeleton ON place_name(skeleton);
                    CREATE VIRTUAL TABLE name_fts USING fts5(text, key, tokenize = 'trigram');
                    CREATE VIRTUAL TABLE place_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        // SQLite cannot change a CHECK constraint: the table is rebuilt (rowids kept, so the names,
        // the FTS rows and the R*Tree still point at their places). GRDB runs a migration with
        // foreign keys off and checks them after it, so dropping the old table deletes no name.
        migrator.registerMigration("v2: layers (countries, user), ISO codes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE place_v2 (
                        rowid INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        country TEXT,
                        countries TEXT NOT NULL DEFAULT '',
                        admin1 TEXT,
                        admin2 TEXT,
                        part_of TEXT,
                        lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
                        lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
                        uncertainty_m REAL NOT NULL CHECK (uncertainty_m >= 0),
                        coordinate_source TEXT NOT NULL,
                        source_url TEXT,
                        geonames_id INTEGER,
                        note TEXT,
                        bbox TEXT,
                        origin TEXT NOT NULL CHECK (origin IN ('bundled', 'countries', 'geonames', 'user')),
                        bundled_layer INTEGER NOT NULL DEFAULT 0 CHECK (bundled_layer IN (0, 1)),
                        iso_alpha3 TEXT,
                        iso_numeric TEXT
                    );
                    INSERT INTO place_v2 (rowid, id, name, kind, country, countries, admin1, admin2, part_of, lat, lon,
                                          uncertainty_m, coordinate_source, source_url, geonames_id, note, bbox, origin, bundled_layer)
                        SELECT rowid, id, name, kind, country, countries, admin1, admin2, part_of, lat, lon, uncertainty_m,
                               coordinate_source, source_url, geonames_id, note, bbox, origin, origin = 'bundled' FROM place;
                    DROP TABLE place;
                    ALTER TABLE place_v2 RENAME TO place;
                    CREATE INDEX place_kind ON place(kind);
                    CREATE INDEX place_country ON place(country);
                    CREATE INDEX place_geonames ON place(geonames_id);
                    CREATE INDEX place_origin ON place(origin);
                    """)
            // Layers are new: the next open rebuilds the bundled part with them.
            try db.execute(sql: "DELETE FROM meta WHERE key = 'bundled_fingerprint'")
        }
        return migrator
    }
}
