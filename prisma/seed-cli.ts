import { openDatabase } from "../server/db";
import { seedDemo } from "./seed";
const db = await openDatabase({ dataDir: process.env.PGLITE_DIR || undefined });
console.log((await seedDemo(db.prisma)) ? "seeded" : "already seeded");
await db.close();
