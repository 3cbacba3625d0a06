// npm run db:migrate [-- --seed]: applies the committed migrations to the configured database
// (embedded PGlite under .data/pglite, or DATABASE_URL) and optionally seeds the demo mall.
import { openDatabase } from "../server/db";
import { seedDemo } from "../prisma/seed";

const seed = process.argv.includes("--seed");
const started = Date.now();
const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
try {
  const where = db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  console.log(`database ready: ${where}`);
  if (seed && (await seedDemo(db.prisma))) console.log("seeded the demo mall");
} finally {
  await db.close();
}
console.log(`db ready in ${Date.now() - started} ms`);
