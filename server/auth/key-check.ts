// Start-up check that the field-encryption key is the one this database was written under. Under
// another key every phone lookup misses, so returning shoppers would silently get a second account
// and stored numbers could not be read: refuse to start and say why instead.
import type { Db } from "../db";
import { decryptField, fieldKeyFingerprint, lookupHash } from "./crypto";

const PURPOSE = "field-encryption";

export class KeyMismatchError extends Error {
  constructor(recordedAt: Date | null) {
    super(
      [
        "FIELD_ENCRYPTION_KEY is not the key this database was written with" +
          (recordedAt ? ` (its fingerprint was recorded ${recordedAt.toISOString()}).` : " (a stored phone number does not decrypt under it)."),
        "Under this key no phone number would be found again: every returning shopper would sign up a second account.",
        "Start with the original FIELD_ENCRYPTION_KEY (in development: the original NEXTAUTH_SECRET, or none), or use a fresh database",
        "(development: delete .data/pglite; production: a new DATABASE_URL). Keys cannot be rotated in place yet.",
      ].join("\n"),
    );
    this.name = "KeyMismatchError";
  }
}

/**
 * Compares the current key's fingerprint with the recorded one; records it on first start. A
 * database from before fingerprints is judged by decrypting one stored phone number.
 */
export async function checkFieldKey(db: Db, now = new Date()): Promise<"recorded" | "match"> {
  const fingerprint = fieldKeyFingerprint();
  const row = await db.keyFingerprint.findUnique({ where: { purpose: PURPOSE } });
  if (row) {
    if (row.fingerprint !== fingerprint) throw new KeyMismatchError(row.createdAt);
    return "match";
  }
  const sample = await db.member.findFirst({ where: { phoneEnc: { not: null }, phoneHash: { not: null } }, select: { phoneEnc: true, phoneHash: true } });
  if (sample) {
    let phone: string | null = null;
    try {
      phone = decryptField(sample.phoneEnc!);
    } catch {
      phone = null;
    }
    if (phone === null || lookupHash(phone) !== sample.phoneHash) throw new KeyMismatchError(null);
  }
  // Two processes starting at once both insert: the loser re-reads and compares.
  await db.keyFingerprint.createMany({ data: [{ purpose: PURPOSE, fingerprint, createdAt: now }], skipDuplicates: true });
  const stored = await db.keyFingerprint.findUniqueOrThrow({ where: { purpose: PURPOSE } });
  if (stored.fingerprint !== fingerprint) throw new KeyMismatchError(stored.createdAt);
  return "recorded";
}
