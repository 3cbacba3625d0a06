// npm run db:seed [-- --demo]: seeds the demo mall into the embedded database, or into DATABASE_URL only with
// --demo or FM_ALLOW_DEMO_SEED=1 (prisma/seed.ts checkDemoSeedAllowed). A refusal is one line and exit code 1.
import { openDatabase } from "../server/db";
import { checkFieldKey, KeyMismatchError } from "../server/auth/key-check";
import { checkDemoSeedAllowed, DemoSeedRefusedError, seedDemo } from "./seed";

try {
  checkDemoSeedAllowed();
  const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
  try {
    // The seed encrypts phone numbers: under another key than the database's they could never be found again.
    await checkFieldKey(db.prisma);
    console.log((await seedDemo(db.prisma)) ? "seeded" : "already seeded");
  } finally {
    await db.close();
  }
} catch (e) {
  if (!(e instanceof DemoSeedRefusedError || e instanceof KeyMismatchError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
}
