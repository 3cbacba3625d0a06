// npm run db:migrate [-- --seed]: applies the committed migrations to the configured database
// (embedded PGlite under .data/pglite, or DATABASE_URL), checks the field-encryption key against the
// database, and optionally seeds the demo mall (development only: seedDemo refuses in production).
import { openDatabase } from "../server/db";
import { seedDemo } from "../prisma/seed";
import { checkFieldKey, KeyMismatchError } from "../server/auth/key-check";

const seed = process.argv.includes("--seed");
const started = Date.now();
const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
try {
  const where = db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  console.log(`database ready: ${where}`);
  try {
    await checkFieldKey(db.prisma);
  } catch (e) {
    if (!(e instanceof KeyMismatchError)) throw e;
    console.error(`\n${e.message}\n`);
    await db.close();
    process.exit(1);
  }
  if (seed && (await seedDemo(db.prisma))) console.log("seeded the demo mall");
} finally {
  await db.close();
}
console.log(`db ready in ${Date.now() - started} ms`);
