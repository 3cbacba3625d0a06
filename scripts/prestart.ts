// npm start runs this first (prestart): the production settings are checked before anything else
// (one message listing every missing setting), then the upload directory is written to, the
// migrations are applied (an unreachable database is one line, no stack) and the field-encryption
// key is compared with the database's. Production never seeds demo data.
export {};
// `npm start` serves the production build: check it as such.
(process.env as Record<string, string>).NODE_ENV = "production";

const { checkSettingsAndStorage, describeStartupFailure, openingDatabase } = await import("../server/startup");
const { openDatabase } = await import("../server/db");
const { checkFieldKey } = await import("../server/auth/key-check");

try {
  await checkSettingsAndStorage();
  const db = await openingDatabase(() => openDatabase({ dataDir: process.env.PGLITE_DIR || undefined }));
  try {
    console.log(`database migrated: ${db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite (FM_EMBEDDED_DB=1)"}`);
    await checkFieldKey(db.prisma);
  } finally {
    await db.close();
  }
} catch (e) {
  const message = describeStartupFailure(e);
  if (!message) throw e;
  console.error(`\n${message}\n`);
  process.exit(1);
}
