// One verified account per ID number (SPEC §6): members verified before Member.idNumberHash existed
// (20261222010000_member_id_number_hash) are given theirs from the encrypted number, which only the app can read.
// Run at start-up after the field key is checked (server/startup.ts checkBeforeServing). Idempotent: it only looks
// at verified, live members without a hash, so after the first run it finds only those it had to leave without one.
import type { Db } from "../db";
import { decryptField } from "../auth/crypto";
import { isUniqueViolation } from "../context";
import { idNumberHash } from "./identity";

const BATCH = 500;

export interface IdNumberBackfill {
  /** Members given their hash by this run. */
  filled: number;
  /** Members left without one: an earlier verified member holds the same number (staff may review them). */
  shared: number;
  /** Members whose stored number did not decrypt under the key (left as they are). */
  unreadable: number;
}

/**
 * Fills Member.idNumberHash from idNumberEnc, earliest verified first (verifiedAt, then id), a batch at a time:
 * when two members share a number the earliest keeps the hash and the other stays null. Logs counts only.
 */
export async function backfillIdNumberHashes(db: Db, log: (line: string) => void = console.warn, batch = BATCH): Promise<IdNumberBackfill> {
  const out: IdNumberBackfill = { filled: 0, shared: 0, unreadable: 0 };
  let after: { verifiedAt: Date; id: number } | null = null;
  for (;;) {
    const rows: { id: number; idNumberEnc: string | null; verifiedAt: Date | null }[] = await db.member.findMany({
      where: {
        idNumberEnc: { not: null },
        idNumberHash: null,
        verifiedAt: { not: null },
        deletedAt: null,
        ...(after ? { OR: [{ verifiedAt: { gt: after.verifiedAt } }, { verifiedAt: after.verifiedAt, id: { gt: after.id } }] } : {}),
      },
      select: { id: true, idNumberEnc: true, verifiedAt: true },
      orderBy: [{ verifiedAt: "asc" }, { id: "asc" }],
      take: batch,
    });
    for (const row of rows) {
      let hash: string;
      try {
        hash = idNumberHash(decryptField(row.idNumberEnc!).trim().toUpperCase());
      } catch {
        out.unreadable += 1;
        continue;
      }
      const holder = await db.member.findUnique({ where: { idNumberHash: hash }, select: { id: true } });
      if (holder) {
        if (holder.id !== row.id) out.shared += 1;
        continue;
      }
      try {
        const { count } = await db.member.updateMany({ where: { id: row.id, idNumberHash: null, deletedAt: null }, data: { idNumberHash: hash } });
        out.filled += count;
      } catch (e) {
        // A member verifying the same number in the meantime (or another instance's run) took it first.
        if (!isUniqueViolation(e)) throw e;
        out.shared += 1;
      }
    }
    if (rows.length < batch) break;
    const last = rows[rows.length - 1];
    after = { verifiedAt: last.verifiedAt!, id: last.id };
  }
  if (out.filled > 0) log(`[identity] gave ${out.filled} verified member(s) the lookup hash of their ID number`);
  if (out.shared > 0) {
    log(`[alert] ${out.shared} verified member(s) share an ID number with a member verified earlier: left without its lookup hash (one account per ID number, SPEC §6)`);
  }
  if (out.unreadable > 0) log(`[alert] ${out.unreadable} verified member(s) have an ID number that does not decrypt under the field key: left without its lookup hash`);
  return out;
}
