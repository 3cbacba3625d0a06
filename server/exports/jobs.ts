// Background exports (issue 9): a list larger than the synchronous limit is written to storage by a
// job that records its progress; the staff member who asked downloads it from /merchant/exports while
// their role still allows that list. A job that made no progress for STALE_MS (its worker crashed) is taken again.
import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { loadConfig, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { canAccess, type StaffRole } from "../staff/roles";
import type { ObjectStorage } from "../storage";
import { csvStream } from "./csv";
import { exportDefinition } from "./registry";
import { claimJob } from "../jobs/claim";

export const STALE_MS = 30 * 60_000;
const MAX_ATTEMPTS = 3;
/** Rows between two progress updates of a running job. */
const PROGRESS_EVERY = 500;
/** A running job's progress is written at least this often, however slowly its rows come. */
const HEARTBEAT_MS = 60_000;

/** Above this many rows a download becomes a background job (FM_EXPORT_SYNC_MAX_ROWS, default 5 000). */
export function syncExportLimit(): number {
  const n = Number(process.env.FM_EXPORT_SYNC_MAX_ROWS);
  return Number.isSafeInteger(n) && n >= 0 ? n : 5_000;
}

/** Records an export job for `kind` with its (already validated) filter; audited. */
export async function queueExport(ctx: Ctx, actor: StaffActor, input: { kind: string; filter: unknown; rowsTotal: number; fileName: string }) {
  if (!exportDefinition(input.kind)) refuse("UNKNOWN_EXPORT", "未知的导出类型");
  const job = await ctx.tx.exportJob.create({
    data: { staffId: actor.staffId, kind: input.kind, params: input.filter as object, rowsTotal: input.rowsTotal, fileName: input.fileName, createdAt: ctx.now },
  });
  await audit(ctx.tx, { actor: staffActor(actor), action: "export.queued", target: `export:${job.id}`, after: { kind: input.kind, rows: input.rowsTotal }, data: { filter: input.filter }, requestId: actor.requestId, now: ctx.now });
  return job;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Writes one claimed job's file, updating rowsDone (and its heartbeat) as it goes. */
async function perform(db: Db, storage: ObjectStorage, id: number, now: Date): Promise<void> {
  const job = await db.exportJob.findUniqueOrThrow({ where: { id } });
  // The claim's clock (a sweep's instant, the test clock) moved on by the time spent since.
  const started = Date.now();
  const clock = () => new Date(now.getTime() + Date.now() - started);
  let beat = started;
  try {
    const def = exportDefinition(job.kind);
    if (!def) throw new Error(`unknown export kind ${job.kind}`);
    const filter = def.parse(job.params);
    const { timeZone } = await loadConfig(db);
    const source = def.rows(db, filter, timeZone);
    let done = 0;
    async function* counted() {
      for await (const row of source) {
        yield row;
        if (++done % PROGRESS_EVERY === 0 || Date.now() - beat >= HEARTBEAT_MS) {
          beat = Date.now();
          // startedAt doubles as the heartbeat (as a simulator run's): claimJob takes a job back only after STALE_MS without progress.
          await db.exportJob.update({ where: { id }, data: { rowsDone: done, startedAt: clock() } });
        }
      }
    }
    const body = await readAll(csvStream(def.columns(timeZone), counted()));
    const fileKey = `private/exports/${id}-${randomBytes(8).toString("hex")}.csv`;
    await storage.put(fileKey, body, "text/csv");
    await db.exportJob.update({ where: { id }, data: { status: "DONE", rowsDone: done, rowsTotal: done, fileKey, finishedAt: clock() } });
  } catch (e) {
    const error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : "export failed";
    await db.exportJob.update({ where: { id }, data: { status: job.attempts >= MAX_ATTEMPTS ? "FAILED" : "QUEUED", error } });
    console.error(`[exports] job ${id} failed (attempt ${job.attempts})`);
  }
}

/** Performs queued export jobs one at a time; returns how many it took. */
export async function runQueuedExports(db: Db, storage: ObjectStorage, now = new Date(), limit = 10): Promise<number> {
  let ran = 0;
  for (; ran < limit; ran++) {
    const id = await claimJob(db, "ExportJob", { now, staleMs: STALE_MS, maxAttempts: MAX_ATTEMPTS });
    if (id === null) break;
    await perform(db, storage, id, now);
  }
  return ran;
}

/** The staff member's own exports, newest first, with whether their role may still download each. */
export async function myExports(db: Db, staff: { staffId: number; role: StaffRole }, take = 50) {
  const jobs = await db.exportJob.findMany({ where: { staffId: staff.staffId }, orderBy: { id: "desc" }, take });
  return jobs.map((j) => {
    const def = exportDefinition(j.kind);
    return {
      id: j.id, kind: j.kind, title: def?.title ?? j.kind, fileName: j.fileName, status: j.status, rowsTotal: j.rowsTotal, rowsDone: j.rowsDone,
      error: j.status === "FAILED" ? "导出失败，请重试" : null, createdAt: j.createdAt, finishedAt: j.finishedAt,
      canDownload: j.status === "DONE" && !!def && canAccess(staff.role, def.area),
    };
  });
}

/** The file of one finished job: only its own requester, and only while their role allows that list. */
export async function exportFile(db: Db, storage: ObjectStorage, staff: { staffId: number; role: StaffRole }, id: number) {
  const job = await db.exportJob.findUnique({ where: { id } });
  if (!job || job.staffId !== staff.staffId) refuse("NOT_FOUND", "导出文件不存在");
  const def = exportDefinition(job.kind);
  if (!def || !canAccess(staff.role, def.area)) refuse("FORBIDDEN", "无权下载该导出文件");
  if (job.status !== "DONE" || !job.fileKey) refuse("NOT_READY", "导出尚未完成");
  const obj = await storage.get(job.fileKey);
  if (!obj) refuse("NOT_FOUND", "导出文件不存在");
  return { fileName: job.fileName, body: obj.body };
}
