import GRDB

/// The store's schema, changed only through GRDB's migrator so an existing store upgrades in place.
///
/// - `place`: one row per place, with an integer rowid shared by the R*Tree.
/// - `place_name`: every name, with its normalised `key` (exact lookup) and consonant `skeleton`
///   (suggestions only), both indexed.
/// - `name_fts`: FTS5 over name text and key with the trigram tokenizer, for substring search and
///   fuzzy candidates; rowid = `place_name.rowid`.
/// - `place_rtree`: R*Tree of place positions, the prefilter for spatial queries.
/// - `meta`: fingerprint of the bundled data and the NameKey version the keys were built with.
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
        return migrator
    }
}
