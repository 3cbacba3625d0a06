import { openPglite } from "../server/db";
const d = await openPglite({ dataDir: "memory://" });
try {
await d.prisma.$transaction(async (tx) => {
  const t = await tx.ledgerTxn.create({ data: { key: "unbalanced", kind: "x", createdAt: new Date() } });
  await tx.ledgerEntry.create({ data: { txnId: t.id, account: "merchant:x", amountFen: 5, createdAt: new Date() } });
});
console.log("committed?", await d.prisma.ledgerEntry.count());
} catch (e) { console.log("threw", (e as Error).message.slice(0, 200)); }
try { await d.pglite.exec(`BEGIN; INSERT INTO "LedgerTxn"(key, kind, "createdAt") VALUES ('k2','x',now()); INSERT INTO "LedgerEntry"("txnId", account, "amountFen", "createdAt") VALUES (currval('"LedgerTxn_id_seq"'), 'm', 3, now()); COMMIT;`); console.log("raw committed", (await d.pglite.query('select count(*) from "LedgerEntry"')).rows); } catch (e) { console.log("raw threw", (e as Error).message); }
