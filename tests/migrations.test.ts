// The committed migrations (prisma/migrations) produce exactly prisma/schema/: the Wasm schema
// engine applies them to a shadow PGlite and diffs the result against the schema.
import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema, isEmptyDiff } from "../server/db/schema-engine";
import { listMigrations } from "../server/db/migrate";
import { freshPglite } from "./helpers/db";

describe("migrations", () => {
  it("produce exactly the Prisma schema", async () => {
    const sql = await diffMigrationsToSchema();
    expect(isEmptyDiff(sql), `schema drift:\n${sql}`).toBe(true);
  });

  it("are in Prisma's standard layout and recorded with their checksums", async () => {
    const files = listMigrations();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(f.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    const db = await freshPglite();
    try {
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    } finally {
      await db.close();
    }
  });
});
