// Extensions the migrations create, which PGlite must load when it opens (a data directory that has
// them cannot run their functions otherwise): pg_trgm backs the order-number search's trigram index.
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const PGLITE_EXTENSIONS = { pg_trgm };
