// Background exports (issue 9): a list larger than the synchronous limit is written to storage by a
// job that records its progress; the staff member who asked downloads it from /merchant/exports while
// their role still allows that list. A job that made no progress for STALE_MS (its worker crashed) is taken again.
import { randomBytes } from "node:crypto";
import type { Db, Prisma, Tx } from "../db";
import { loadConfig, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { canAccess, type StaffRole } from "../staff/roles";
import { decryptField, encryptField, maskPhone, normalisePhone } from "../auth/crypto";
import type { ObjectStorage } from "../storage";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/lib/i18n/core";
import { csvStream, exportTranslator } from "./csv";
import { exportDefinition } from "./registry";
import { assertHeld, claimJob, ClaimLost, clockFrom, heldBy, type JobClaim } from "../jobs/claim";

export const STALE_MS = 30 * 60_000;
const MAX_ATTEMPTS = 3;
/** Rows between two progress updates of a running job. */
const PROGRESS_EVERY = 500;
/** A running job's progress is written at least this often, however slowly its rows come or its file uploads. */
const HEARTBEAT_MS = 60_000;
/** A finished export's file is deleted this long after it finished: exported lists hold members' personal data. */
export const EXPORT_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

/** Above this many rows a download becomes a background job (FM_EXPORT_SYNC_MAX_ROWS, default 5 000). */
export function syncExportLimit(): number {
  const n = Number(process.env.FM_EXPORT_SYNC_MAX_ROWS);
  return Number.isSafeInteger(n) && n >= 0 ? n : 5_000;
}

/** Exports one member of staff may have queued or running at once: each takes a worker for minutes. */
export const MAX_OPEN_EXPORTS = 3;

/** The filter with each top-level value that is a full mobile number (orders' phone, members' q, withdrawals' member) passed through `f`. */
function mapPhones(filter: unknown, f: (raw: string, phone: string) => unknown): unknown {
  if (!filter || typeof filter !== "object" || Array.isArray(filter)) return filter;
  return Object.fromEntries(
    Object.entries(filter).map(([k, v]) => {
      const phone = typeof v === "string" ? normalisePhone(v) : null;
      return [k, phone ? f(v as string, phone) : v];
    }),
  );
}

/** A filter as the audit log keeps it: a phone masked (138****8000), as phones are stored everywhere else. */
function auditedFilter(filter: unknown): unknown {
  return mapPhones(filter, (_, phone) => maskPhone(phone));
}

/** A filter as ExportJob.params keeps it until the job runs: a phone encrypted ({ phoneEnc }), since the job must filter by it. */
function sealedParams(filter: unknown): unknown {
  return mapPhones(filter, (raw) => ({ phoneEnc: encryptField(raw) }));
}

/** The key of ExportJob.params that holds the requester's language beside the filter (no list filters by it). */
const LOCALE_PARAM = "locale";

/** The language a job's file is written in: its requester's, zh-CN for a job queued before the language was kept. */
function jobLocale(params: unknown): Locale {
  const locale = params && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, unknown>)[LOCALE_PARAM] : undefined;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The filter a job was queued with (without its language), its phones decrypted (params stored before they were sealed read as they are). */
function unsealedParams(params: unknown): unknown {
  if (!params || typeof params !== "object" || Array.isArray(params)) return params;
  const sealed = (v: unknown): v is { phoneEnc: string } => !!v && typeof v === "object" && typeof (v as { phoneEnc?: unknown }).phoneEnc === "string";
  return Object.fromEntries(Object.entries(params).filter(([k]) => k !== LOCALE_PARAM).map(([k, v]) => [k, sealed(v) ? decryptField(v.phoneEnc) : v]));
}

/** Records that `actor` was served a list's CSV (a direct download, or a finished job's file): who, which list, which filter, how many rows. */
export async function auditExportDownload(tx: Tx, actor: StaffActor, input: { kind: string; filter: unknown; rows: number | null; jobId?: number; now: Date }): Promise<void> {
  await audit(tx, {
    actor: staffActor(actor),
    action: "export.downloaded",
    // A job's file under the job's target (beside its export.queued); a direct download under its list.
    target: input.jobId === undefined ? `export:${input.kind}` : `export:${input.jobId}`,
    data: { kind: input.kind, rows: input.rows, filter: auditedFilter(input.filter) },
    requestId: actor.requestId,
    now: input.now,
  });
}

/**
 * Records an export job for `kind` with its (already validated) filter and the requester's language (the file is
 * written in it, however long after), unless the staff member has MAX_OPEN_EXPORTS open; audited.
 */
export async function queueExport(ctx: Ctx, actor: StaffActor, input: { kind: string; filter: unknown; rowsTotal: number; fileName: string; locale?: Locale }) {
  if (!exportDefinition(input.kind)) refuse("UNKNOWN_EXPORT", "未知的导出类型");
  // The staff row locked first: two requests at once count in turn, so both cannot pass (NO KEY: sign-ins and other rows' foreign keys do not wait).
  await ctx.tx.$queryRaw`SELECT id FROM "StaffAccount" WHERE id = ${actor.staffId} FOR NO KEY UPDATE`;
  const open = await ctx.tx.exportJob.count({ where: { staffId: actor.staffId, status: { in: ["QUEUED", "RUNNING"] } } });
  if (open >= MAX_OPEN_EXPORTS) refuse("TOO_MANY_EXPORTS", "进行中的导出已达上限，请等已有导出完成后再试");
  const job = await ctx.tx.exportJob.create({
    data: { staffId: actor.staffId, kind: input.kind, params: { ...(sealedParams(input.filter) as object), [LOCALE_PARAM]: input.locale ?? DEFAULT_LOCALE }, rowsTotal: input.rowsTotal, fileName: input.fileName, createdAt: ctx.now },
  });
  await audit(ctx.tx, { actor: staffActor(actor), action: "export.queued", target: `export:${job.id}`, after: { kind: input.kind, rows: input.rowsTotal }, data: { filter: auditedFilter(input.filter) }, requestId: actor.requestId, now: ctx.now });
  return job;
}

/** Deletes a file no job references; a failure only leaves the file behind (removeStrayExportFiles takes it a day later), so it is logged, not thrown. */
async function discard(storage: ObjectStorage, key: string): Promise<void> {
  await storage.delete(key).catch((e: unknown) => console.error(`[exports] could not delete ${key}: ${(e as Error).name}`));
}

/**
 * Streams the file into storage, beating every HEARTBEAT_MS while the upload runs (rows waiting on a slow
 * upload are not taken for a dead worker); a beat that finds the job lost stops the worker at once, and the
 * upload, should it still complete, is deleted then.
 */
async function putBeating(storage: ObjectStorage, key: string, body: ReadableStream<Uint8Array>, beat: () => Promise<void>): Promise<void> {
  let beating = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  const lost = new Promise<never>((_, reject) => {
    timer = setInterval(() => (beating = beat().catch(reject)), HEARTBEAT_MS);
  });
  const put = storage.putStream(key, body, "text/csv");
  try {
    await Promise.race([put, lost]);
  } catch (e) {
    void put.then(() => discard(storage, key), () => undefined);
    throw e;
  } finally {
    clearInterval(timer);
    await beating;
  }
}

/** Writes one claimed job's file, updating rowsDone (and its heartbeat) as it goes; throws ClaimLost once another worker has the job. */
async function perform(db: Db, storage: ObjectStorage, claim: JobClaim, clock: () => Date): Promise<void> {
  const job = await db.exportJob.findUniqueOrThrow({ where: { id: claim.id } });
  const write = async (data: Prisma.ExportJobUpdateManyMutationInput) => assertHeld("ExportJob", claim, await db.exportJob.updateMany({ where: heldBy(claim), data }));
  let beat = Date.now();
  let beating = Promise.resolve();
  // startedAt doubles as the heartbeat (as a simulator run's): claimJob takes a job back only after STALE_MS without progress.
  // One beat at a time, the rows' and the upload's: a slow database write is never overtaken by the next.
  const heartbeat = (rowsDone: number) => {
    beat = Date.now();
    return (beating = beating.then(() => write({ rowsDone, startedAt: clock() })));
  };
  try {
    const def = exportDefinition(job.kind);
    if (!def) throw new Error(`unknown export kind ${job.kind}`);
    const filter = def.parse(unsealedParams(job.params));
    const { timeZone } = await loadConfig(db);
    const source = def.rows(db, filter, timeZone);
    let done = 0;
    async function* counted() {
      for await (const row of source) {
        yield row;
        if (++done % PROGRESS_EVERY === 0 || Date.now() - beat >= HEARTBEAT_MS) await heartbeat(done);
      }
      // After the last row too, before the file is complete: a worker that lost the job while writing stores no file.
      await heartbeat(done);
    }
    const fileKey = `private/exports/${claim.id}-${randomBytes(8).toString("hex")}.csv`;
    // Written as the rows come: never the whole file in memory (a members list of a million rows is ~150 MB).
    await putBeating(storage, fileKey, csvStream(def.columns(timeZone, exportTranslator(jobLocale(job.params))), counted()), () => heartbeat(done));
    await write({ status: "DONE", rowsDone: done, rowsTotal: done, fileKey, finishedAt: clock() }).catch(async (e: unknown) => {
      await discard(storage, fileKey);
      throw e;
    });
  } catch (e) {
    if (e instanceof ClaimLost) throw e;
    const error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "export failed";
    // Fenced too: a job another worker took meanwhile is theirs to finish or fail.
    await db.exportJob.updateMany({ where: heldBy(claim), data: { status: claim.attempt >= MAX_ATTEMPTS ? "FAILED" : "QUEUED", error } });
    console.error(`[exports] job ${claim.id} failed (attempt ${claim.attempt})`);
  }
}

/** Performs queued export jobs one at a time; returns how many it took. */
export async function runQueuedExports(db: Db, storage: ObjectStorage, now = new Date(), limit = 10): Promise<number> {
  // Claims and heartbeats on the caller's clock (a sweep's instant, the test clock) moved on by the time spent since.
  const clock = clockFrom(now);
  let ran = 0;
  for (; ran < limit; ran++) {
    const claim = await claimJob(db, "ExportJob", { now: clock(), staleMs: STALE_MS, maxAttempts: MAX_ATTEMPTS });
    if (claim === null) break;
    try {
      await perform(db, storage, claim, clock);
    } catch (e) {
      if (!(e instanceof ClaimLost)) throw e;
      // This worker stalled past the stale window and another took the job: that one finishes it.
      console.error(`[exports] job ${claim.id}: attempt ${claim.attempt} lost its claim and stopped`);
    }
  }
  return ran;
}

/**
 * Expires the exports that finished more than EXPORT_RETENTION_DAYS before `now`, at most `limit` per call, and deletes their
 * files; returns how many expired. EXPIRED first (its filter cleared), so a download never meets a missing file; the file
 * key is cleared only once the file is deleted, so a delete that failed (this sweep's or an earlier one's) is tried again at
 * the next sweep.
 */
export async function expireExports(db: Db, storage: ObjectStorage, now = new Date(), limit = 100): Promise<number> {
  const cutoff = new Date(now.getTime() - EXPORT_RETENTION_DAYS * DAY_MS);
  const expired = await db.$executeRaw`
    WITH old AS (
      SELECT id FROM "ExportJob" WHERE status = 'DONE' AND "finishedAt" < ${cutoff} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    UPDATE "ExportJob" j
    SET status = 'EXPIRED', params = CASE WHEN jsonb_typeof(j.params) = 'object' AND j.params ? 'locale' THEN jsonb_build_object('locale', j.params->'locale') ELSE '{}'::jsonb END
    FROM old WHERE j.id = old.id`;
  const files = await db.exportJob.findMany({ where: { status: "EXPIRED", fileKey: { not: null } }, orderBy: { id: "asc" }, take: limit, select: { id: true, fileKey: true } });
  for (const { id, fileKey } of files) {
    try {
      await storage.delete(fileKey!);
    } catch (e) {
      console.error(`[exports] could not delete the file of job ${id}: ${(e as Error).name}`);
      continue;
    }
    await db.exportJob.updateMany({ where: { id, fileKey }, data: { fileKey: null } });
  }
  return expired;
}

/** The folder background exports write their files to. */
const EXPORTS_FOLDER = "private/exports";
const EXPORT_FILE = /^private\/exports\/(\d+)-[0-9a-f]+\.csv$/;

/**
 * Deletes the files in the exports folder that no finished (DONE) job holds — a job that lost its claim after its upload,
 * one expired while its delete failed under an earlier release — and the temp files of uploads that never completed, each
 * once untouched for a day (a job records its file within seconds of writing it whole). Returns how many it removed.
 */
export async function removeStrayExportFiles(db: Db, storage: ObjectStorage, now = new Date(), batch = 100): Promise<number> {
  const before = new Date(now.getTime() - DAY_MS);
  let removed = (await storage.removeAbandonedUploads?.(EXPORTS_FOLDER, before)) ?? 0;
  if (!storage.listWrittenBefore) return removed;
  let keys: string[] = [];
  const removeUnheld = async () => {
    // A file's name starts with its job's id: the jobs are looked up by key.
    const ids = keys.flatMap((k) => EXPORT_FILE.exec(k)?.slice(1, 2).map(Number) ?? []);
    const held = new Set((await db.exportJob.findMany({ where: { id: { in: ids }, status: "DONE" }, select: { fileKey: true } })).map((j) => j.fileKey));
    for (const key of keys) {
      if (held.has(key)) continue;
      await storage.delete(key);
      removed++;
    }
    keys = [];
  };
  for await (const key of storage.listWrittenBefore(EXPORTS_FOLDER, before)) {
    keys.push(key);
    if (keys.length >= batch) await removeUnheld();
  }
  if (keys.length > 0) await removeUnheld();
  return removed;
}

/** The staff member's own exports, newest first, with whether their role may still download each. */
export async function myExports(db: Db, staff: { staffId: number; role: StaffRole }, take = 50) {
  const jobs = await db.exportJob.findMany({ where: { staffId: staff.staffId }, orderBy: { id: "desc" }, take });
  return jobs.map((j) => {
    const def = exportDefinition(j.kind);
    return {
      id: j.id, kind: j.kind, title: def ? exportTranslator(jobLocale(j.params))(def.title) : j.kind, fileName: j.fileName, status: j.status, rowsTotal: j.rowsTotal, rowsDone: j.rowsDone,
      error: j.status === "FAILED" ? "导出失败，请重试" : null, createdAt: j.createdAt, finishedAt: j.finishedAt,
      canDownload: j.status === "DONE" && !!def && canAccess(staff.role, def.area),
    };
  });
}

/** The file of one finished job, as a stream: only its own requester, and only while their role allows that list (checked before the file is opened); audited. */
export async function openExportFile(db: Db, storage: ObjectStorage, staff: { staffId: number; role: StaffRole; requestId?: string | null }, id: number, now = new Date()) {
  const job = await db.exportJob.findUnique({ where: { id } });
  if (!job || job.staffId !== staff.staffId) refuse("NOT_FOUND", "导出文件不存在");
  const def = exportDefinition(job.kind);
  if (!def || !canAccess(staff.role, def.area)) refuse("FORBIDDEN", "无权下载该导出文件");
  if (job.status !== "DONE" || !job.fileKey) refuse("NOT_READY", "导出尚未完成");
  const file = await storage.getStream(job.fileKey);
  if (!file) refuse("NOT_FOUND", "导出文件不存在");
  try {
    await auditExportDownload(db, staff, { kind: job.kind, filter: unsealedParams(job.params), rows: job.rowsDone, jobId: job.id, now });
  } catch (e) {
    // No file is served without its audit entry.
    await file.body.cancel().catch(() => undefined);
    throw e;
  }
  return { fileName: job.fileName, body: file.body, size: file.size };
}
