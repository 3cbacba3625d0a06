// Background exports stream their file into storage (a list of a million members is ~150 MB): the upload
// begins with the first rows, in many chunks, while the rows are still being read; a source that fails
// midway, or a worker that loses its job midway, leaves neither the file nor a temp file behind.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { exportDefinition } from "../server/exports/registry";
import { openExportFile, queueExport, runQueuedExports, STALE_MS } from "../server/exports/jobs";
import { LocalDiskStorage, type ObjectStorage } from "../server/storage";
import { freshDatabase } from "./helpers/db";

let database: Database;
let dir: string;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);

beforeEach(async () => {
  database = await freshDatabase();
  dir = mkdtempSync(path.join(tmpdir(), "fm-exports-stream-"));
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
  await database.close();
});

/** Every file under the storage folder, relative to it (folders left empty are not files). */
function filesIn(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => statSync(path.join(root, f)).isFile()).sort();
}
const temps = () => filesIn(dir).filter((f) => f.endsWith(".tmp"));

/** A queued export of `n` members' list, by the owner, oldest first: the members are 会员0 … 会员n-1, in that order. */
async function queuedMemberExport(n: number) {
  const owner = await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } });
  for (let i = 0; i < n; i++) await run((ctx) => registerMember(ctx, { username: `m${i}`, nickname: `会员${i}`, ip: `9.9.9.${i}`, device: `d${i}` }));
  const job = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "members", filter: { sort: "createdAt.asc" }, rowsTotal: n, fileName: "会员列表.csv" }));
  return { owner, job };
}

const members = () => exportDefinition("members")!;
/** A stream's bytes as UTF-8, the BOM kept (Response.text() would drop it). */
const textOf = async (body: ReadableStream<Uint8Array>) => Buffer.from(await new Response(body).arrayBuffer()).toString("utf8");

describe("a background export streams its file into storage", () => {
  it("in many chunks, the first rows stored before the source has produced its last row", async () => {
    const { owner, job } = await queuedMemberExport(3);
    const events: string[] = [];
    const rows = members().rows;
    vi.spyOn(members(), "rows").mockImplementation(async function* (db, filter, tz) {
      for await (const row of rows(db, filter, tz)) {
        events.push(`row ${row.nickname}`);
        yield row;
      }
    });
    const disk = new LocalDiskStorage(dir);
    // The real disk storage, with each chunk it is handed logged as it arrives.
    const storage: ObjectStorage = {
      put: (key, body, type) => disk.put(key, body, type),
      get: (key) => disk.get(key),
      getStream: (key) => disk.getStream(key),
      delete: (key) => disk.delete(key),
      putStream(key, body, type) {
        async function* logged() {
          for await (const chunk of body as AsyncIterable<Uint8Array>) {
            events.push(`chunk ${Buffer.from(chunk).toString("utf8")}`);
            yield chunk;
          }
        }
        return disk.putStream(key, logged(), type);
      },
    };
    expect(await runQueuedExports(database.prisma, storage)).toBe(1);
    const chunks = events.filter((e) => e.startsWith("chunk "));
    // The BOM, the header row and a line per member at least: more than one chunk.
    expect(chunks.length).toBeGreaterThan(1);
    const firstMemberStored = events.findIndex((e) => e.startsWith("chunk ") && e.includes("会员0"));
    expect(firstMemberStored).toBeGreaterThan(-1);
    expect(firstMemberStored).toBeLessThan(events.indexOf("row 会员2"));
    // The file is the whole list all the same: the BOM, the header and the three members in order.
    const text = await textOf((await openExportFile(database.prisma, storage, { staffId: owner.id, role: "owner" }, job.id)).body);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).trim().split("\n").map((l) => l.split(",")[1])).toEqual(["昵称", "会员0", "会员1", "会员2"]);
    expect(temps()).toEqual([]);
  });

  it("a source that fails midway leaves no file and no temp file; the job is queued again with its error", async () => {
    const { job } = await queuedMemberExport(3);
    const rows = members().rows;
    const seenTemp: string[] = [];
    vi.spyOn(members(), "rows").mockImplementation(async function* (db, filter, tz) {
      let n = 0;
      for await (const row of rows(db, filter, tz)) {
        yield row;
        if (++n < 2) continue;
        // Two rows in: the upload has begun, into a temp file that already holds them.
        await vi.waitFor(() => expect(temps().filter((f) => statSync(path.join(dir, f)).size > 0)).toHaveLength(1));
        seenTemp.push(...temps());
        throw new Error("database went away");
      }
    });
    // One job taken (the limit): the job queued again would otherwise be retried at once, up to its last attempt.
    expect(await runQueuedExports(database.prisma, new LocalDiskStorage(dir), new Date(), 1)).toBe(1);
    expect(seenTemp).toHaveLength(1);
    expect(filesIn(dir)).toEqual([]);
    expect(await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "QUEUED",
      attempts: 1,
      fileKey: null,
      error: "Error: database went away",
    });
  });

  it("a worker that loses its job midway deletes its partial upload; the other's file stands", async () => {
    const { owner, job } = await queuedMemberExport(3);
    const storage = new LocalDiskStorage(dir);
    const rows = members().rows;
    const b = { took: null as number | null, tempsBefore: [] as string[] };
    vi.useFakeTimers({ toFake: ["Date"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    vi.spyOn(members(), "rows").mockImplementation(async function* (db, filter, tz) {
      for await (const row of rows(db, filter, tz)) {
        yield row;
        if (b.took !== null) continue;
        // A, after its first row: its upload has begun; then A is suspended past the window and B takes the job and finishes it.
        b.took = -1;
        await vi.waitFor(() => expect(temps().filter((f) => statSync(path.join(dir, f)).size > 0)).toHaveLength(1));
        b.tempsBefore = temps();
        vi.setSystemTime(Date.now() + STALE_MS + 60_000);
        b.took = await runQueuedExports(database.prisma, storage, new Date());
      }
    });
    expect(await runQueuedExports(database.prisma, storage, claimedAt)).toBe(1);
    expect(b.took).toBe(1);
    expect(b.tempsBefore).toHaveLength(1);
    const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "DONE", attempts: 2, rowsDone: 3, error: null });
    // B's file only: A's temp file is gone, and A never renamed it into a file of its own.
    expect(filesIn(dir)).toEqual([done.fileKey!]);
    const text = await textOf((await openExportFile(database.prisma, storage, { staffId: owner.id, role: "owner" }, job.id)).body);
    expect(text.slice(1).trim().split("\n")).toHaveLength(4);
  });
});
