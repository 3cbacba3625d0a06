// Personal data is kept only while something needs it (PIPL; the default privacy policy's 保存期限, server/legal/defaults.ts):
// a daily sweep deletes or clears what no read needs any more. Every batch is one statement, so its own transaction, over at
// most `batchSize` rows taken with SKIP LOCKED: two sweepers (app instances, Inngest) share the work, no transaction holds
// many rows, and a second run changes nothing.
import { Prisma, type Db } from "../db";
import type { ObjectStorage } from "../storage";
import { KNOWN_NETWORK_MS } from "../auth/otp";
import { SESSION_IDLE_MS, SESSION_MAX_MS } from "../staff/sessions";
import { EXPORT_RETENTION_DAYS, removeStrayExportFiles } from "../exports/jobs";
import { heartbeatOf, recordHeartbeat } from "../scheduler/heartbeat";

const DAY_MS = 86_400_000;

/** A staff session is kept this long after it ended (the devices page lists the recent ones; the audit log keeps its own record of each sign-in). */
export const STAFF_SESSION_RETENTION_DAYS = 90;

/**
 * A risk event's personal evidence (SPEC §8; server/referral, server/orders): the sign-up IP, the device fingerprint and the
 * keyed fingerprint of a delivery address. The rest (rule, members, order numbers, counts) and the flags' verdicts stay.
 */
export const PERSONAL_EVIDENCE_KEYS = ["ip", "device", "addressHash"] as const;

/** Personal evidence is kept this long after the event's review was decided (made, if it flags nobody): time for a complaint about the decision and a second look. */
export const RISK_EVIDENCE_RETENTION_DAYS = 180;

// A literal, not a parameter: the same text as the predicate of "RiskEvent_personal_evidence_idx" (20261218053100_risk_evidence_retention).
const PERSONAL_EVIDENCE = Prisma.raw(`ARRAY[${PERSONAL_EVIDENCE_KEYS.map((k) => `'${k}'`).join(", ")}]`);

/** The JobHeartbeat row of the sweep: its last complete run, which holds the next one back for a day. */
export const RETENTION_SWEEP = "privacy-retention";

export interface RetentionOptions {
  /** Rows per statement. */
  batchSize?: number;
  /** Batches per kind of data in one call: a backlog is worked off over the next sweeps, a call stays short. */
  maxBatches?: number;
}

export interface RetentionReport {
  otpCodes: number;
  staffSessions: number;
  visitorIds: number;
  exportFilters: number;
  exportFiles: number;
  riskEvidence: number;
  /** Nothing due is left (a call that stopped at maxBatches is not: the next sweep goes on at once). */
  done: boolean;
}

/**
 * The daily retention sweep; null when its last complete run was less than a day before `now`. Until a run completes, each
 * call goes on with what is left. Deletes SMS codes older than the 90 days any read reaches (KNOWN_NETWORK_MS) and staff
 * sessions ended more than STAFF_SESSION_RETENTION_DAYS ago; clears the visitor ids share-link visits stored before they
 * stopped doing so, and the filters (a phone among them) of exports expired, or failed EXPORT_RETENTION_DAYS ago; and
 * removes export files no finished job holds and abandoned uploads (removeStrayExportFiles); and clears the personal evidence
 * of risk events decided (made, if they flag nobody) more than RISK_EVIDENCE_RETENTION_DAYS ago.
 */
export async function runRetentionSweep(db: Db, storage: ObjectStorage, now: Date, opts: RetentionOptions = {}): Promise<RetentionReport | null> {
  const last = await heartbeatOf(db, RETENTION_SWEEP);
  // A clock set back (the test clock) does not hold the sweep back.
  if (last?.lastOkAt && last.lastOkAt <= now && now.getTime() - last.lastOkAt.getTime() < DAY_MS) return null;
  try {
    const report = await sweep(db, storage, now, { batchSize: opts.batchSize ?? 500, maxBatches: opts.maxBatches ?? 20 });
    const { done, ...counts } = report;
    if (done) await recordHeartbeat(db, RETENTION_SWEEP, now, { ok: true, count: Object.values(counts).reduce((a, b) => a + b, 0) });
    return report;
  } catch (e) {
    await recordHeartbeat(db, RETENTION_SWEEP, now, { ok: false, error: e }).catch(() => undefined);
    throw e;
  }
}

async function sweep(db: Db, storage: ObjectStorage, now: Date, opts: Required<RetentionOptions>): Promise<RetentionReport> {
  const otpCutoff = new Date(now.getTime() - KNOWN_NETWORK_MS);
  // A code is read for 24 h (send limits), and a verified one as its network's for KNOWN_NETWORK_MS after its use (server/auth/otp.ts).
  const otp = await inBatches(opts, (limit) => db.$executeRaw`
    DELETE FROM "OtpCode" WHERE id IN (
      SELECT id FROM "OtpCode" WHERE "createdAt" < ${otpCutoff} AND ("usedAt" IS NULL OR "usedAt" < ${otpCutoff})
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`);

  // A session ends at its revocation, its idle timeout or its expiry, whichever is first; expiresAt is its start + SESSION_MAX_MS,
  // so one ended before the cutoff expires before cutoff + SESSION_MAX_MS (the index's range).
  const sessionCutoff = now.getTime() - STAFF_SESSION_RETENTION_DAYS * DAY_MS;
  // Sessions are validated against the wall clock (validateStaffSession): one not yet expired by it stays, whatever the
  // app clock says (a test clock moved months ahead swept live sessions of the e2e run).
  const wallNow = new Date();
  const sessions = await inBatches(opts, (limit) => db.$executeRaw`
    DELETE FROM "StaffSession" WHERE id IN (
      SELECT id FROM "StaffSession" WHERE "expiresAt" < ${new Date(Math.min(sessionCutoff + SESSION_MAX_MS, wallNow.getTime()))}
        AND ("expiresAt" < ${new Date(sessionCutoff)} OR "revokedAt" < ${new Date(sessionCutoff)} OR "lastSeenAt" < ${new Date(sessionCutoff - SESSION_IDLE_MS)})
      ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`);

  // Found through the partial index of the rows still holding one (20261216060000_privacy_retention).
  const visitors = await inBatches(opts, (limit) => db.$executeRaw`
    UPDATE "ReferralVisit" SET "visitorId" = NULL WHERE id IN (
      SELECT id FROM "ReferralVisit" WHERE "visitorId" IS NOT NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`);

  // The language stays (a job's title is written in it); expireExports clears the filter itself from now on.
  const failedCutoff = new Date(now.getTime() - EXPORT_RETENTION_DAYS * DAY_MS);
  const filters = await inBatches(opts, (limit) => db.$executeRaw`
    UPDATE "ExportJob" SET params = CASE WHEN jsonb_typeof(params) = 'object' AND params ? 'locale' THEN jsonb_build_object('locale', params->'locale') ELSE '{}'::jsonb END
    WHERE id IN (
      SELECT id FROM "ExportJob"
      WHERE (status = 'EXPIRED' OR (status = 'FAILED' AND "createdAt" < ${failedCutoff}))
        AND CASE WHEN jsonb_typeof(params) = 'object' THEN params - 'locale' <> '{}'::jsonb ELSE true END
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`);

  // An event is decided once none of its flags is open, at its last flag's decision; the evidence's keys are listed under
  // "retentionCleared", which the back office shows as cleared (app/merchant/risk/format.ts).
  const evidenceCutoff = new Date(now.getTime() - RISK_EVIDENCE_RETENTION_DAYS * DAY_MS);
  const evidence = await inBatches(opts, (limit) => db.$executeRaw`
    UPDATE "RiskEvent" e
    SET evidence = (e.evidence - ${PERSONAL_EVIDENCE}) || jsonb_build_object('retentionCleared',
      (SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(e.evidence) k WHERE k = ANY(${PERSONAL_EVIDENCE})))
    WHERE e.id IN (
      SELECT r.id FROM "RiskEvent" r
      WHERE r.evidence ?| ${PERSONAL_EVIDENCE} AND r."createdAt" < ${evidenceCutoff}
        AND NOT EXISTS (SELECT 1 FROM "RiskFlag" f WHERE f."eventId" = r.id AND (f.status = 'OPEN' OR COALESCE(f."decidedAt", f."createdAt") >= ${evidenceCutoff}))
      ORDER BY r."createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`);

  const exportFiles = await removeStrayExportFiles(db, storage, now);
  return {
    otpCodes: otp.rows,
    staffSessions: sessions.rows,
    visitorIds: visitors.rows,
    exportFilters: filters.rows,
    exportFiles,
    riskEvidence: evidence.rows,
    done: otp.done && sessions.done && visitors.done && filters.done && evidence.done,
  };
}

/** Runs one batch statement until a batch finds fewer than `batchSize` rows (nothing left), at most `maxBatches` times. */
async function inBatches(opts: Required<RetentionOptions>, batch: (limit: number) => Promise<number>): Promise<{ rows: number; done: boolean }> {
  let rows = 0;
  for (let i = 0; i < opts.maxBatches; i++) {
    const n = await batch(opts.batchSize);
    rows += n;
    if (n < opts.batchSize) return { rows, done: true };
  }
  return { rows, done: false };
}
