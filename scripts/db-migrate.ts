// npm run db:migrate [-- --seed [--demo]]: applies the committed migrations to the configured database
// (embedded PGlite under .data/pglite, or DATABASE_URL), checks the field-encryption key against the
// database, and optionally seeds the demo mall (development only: into DATABASE_URL only with --demo or
// FM_ALLOW_DEMO_SEED=1, never into a database that has served in production; prisma/seed.ts).
import { openDatabase } from "../server/db";
import { checkDemoSeedAllowed, DemoSeedRefusedError, seedDemo } from "../prisma/seed";
import { checkFieldKey, KeyMismatchError } from "../server/auth/key-check";

const seed = process.argv.includes("--seed");
const started = Date.now();
try {
  if (seed) checkDemoSeedAllowed(process.argv);
} catch (e) {
  if (!(e instanceof DemoSeedRefusedError)) throw e;
  console.error(e.message);
  process.exit(1);
}
const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
try {
  const where = db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  console.log(`database ready: ${where}`);
  try {
    await checkFieldKey(db.prisma);
    if (seed && (await seedDemo(db.prisma))) console.log("seeded the demo mall");
  } catch (e) {
    if (!(e instanceof KeyMismatchError || e instanceof DemoSeedRefusedError)) throw e;
    console.error(`\n${e.message}\n`);
    await db.close();
    process.exit(1);
  }
} finally {
  await db.close();
}
console.log(`db ready in ${Date.now() - started} ms`);
