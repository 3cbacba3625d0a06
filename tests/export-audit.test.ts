// Every export served is in the audit log (review F3), and no audit entry or stored job keeps a phone in clear
// (review F9): a queued job's filter is audited with the phone masked and kept encrypted in ExportJob.params
// until the job runs; the download of its file is an `export.downloaded` entry with who, which list, which
// filter (masked) and how many rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { phoneFields } from "../server/auth/crypto";
import { openExportFile, queueExport, runQueuedExports } from "../server/exports/jobs";
import { LocalDiskStorage } from "../server/storage";
import { freshDatabase } from "./helpers/db";

const PHONE = "13800138000";
let database: Database;
let dir: string;
let owner: number;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);

beforeEach(async () => {
  database = await freshDatabase();
  dir = mkdtempSync(path.join(tmpdir(), "fm-export-audit-"));
  owner = (await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } })).id;
  // 甲 has the phone searched for, 乙 another one: the members list filtered by the phone has 甲 only.
  for (const [username, nickname, phone] of [["a", "甲", PHONE], ["b", "乙", "13900139000"]] as const) {
    const m = await run((ctx) => registerMember(ctx, { username, nickname, ip: `9.9.9.${username === "a" ? 1 : 2}`, device: `d-${username}` }));
    const p = phoneFields(phone);
    await database.prisma.member.update({ where: { id: m.id }, data: { phoneHash: p.hash, phoneEnc: p.enc, phoneMasked: p.masked } });
  }
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.close();
});

const queueByPhone = () => run((ctx) => queueExport(ctx, { staffId: owner, requestId: "req-1" }, { kind: "members", filter: { q: PHONE }, rowsTotal: 1, fileName: "会员列表.csv" }));
const code = (p: Promise<unknown>) => p.then(() => "served", (e: unknown) => (e instanceof DomainError ? e.code : Promise.reject(e)));

describe("a queued export by phone", () => {
  it("is audited with the phone masked, and its job keeps the phone only encrypted", async () => {
    const job = await queueByPhone();
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "export.queued", target: `export:${job.id}` } });
    expect(entry.data).toEqual({ filter: { q: "138****8000" } });
    const stored = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(JSON.stringify(stored.params)).not.toContain(PHONE);
    // Nothing in the log holds the number in clear.
    const all = await database.prisma.auditLog.findMany();
    expect(JSON.stringify(all)).not.toContain(PHONE);
  });

  it("still runs with the phone's filter: its file has the one member with that phone", async () => {
    const job = await queueByPhone();
    const storage = new LocalDiskStorage(dir);
    expect(await runQueuedExports(database.prisma, storage)).toBe(1);
    const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done.status).toBe("DONE");
    const file = await openExportFile(database.prisma, storage, { staffId: owner, role: "owner" }, job.id);
    const text = Buffer.from(await new Response(file.body).arrayBuffer()).toString("utf8");
    expect(text).toContain("甲");
    expect(text).not.toContain("乙");
    expect(done.rowsDone).toBe(1);
  });
});

describe("downloading a finished export's file", () => {
  it("writes export.downloaded: the requester, the list, the masked filter and the rows, under the job's target", async () => {
    const job = await queueByPhone();
    const storage = new LocalDiskStorage(dir);
    await runQueuedExports(database.prisma, storage);
    const before = await database.prisma.auditLog.count({ where: { action: "export.downloaded" } });
    expect(before).toBe(0);
    const file = await openExportFile(database.prisma, storage, { staffId: owner, role: "owner", requestId: "req-2" }, job.id);
    await file.body.cancel();
    const entries = await database.prisma.auditLog.findMany({ where: { action: "export.downloaded" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: "staff", actorId: owner, target: `export:${job.id}`, requestId: "req-2", data: { kind: "members", rows: 1, filter: { q: "138****8000" } } });
    // Twice downloaded, twice in the log.
    await (await openExportFile(database.prisma, storage, { staffId: owner, role: "owner" }, job.id)).body.cancel();
    expect(await database.prisma.auditLog.count({ where: { action: "export.downloaded" } })).toBe(2);
  });

  it("a refused download (someone else's, a role without the list, not finished) writes nothing", async () => {
    const job = await queueByPhone();
    const storage = new LocalDiskStorage(dir);
    expect(await code(openExportFile(database.prisma, storage, { staffId: owner, role: "owner" }, job.id))).toBe("NOT_READY");
    await runQueuedExports(database.prisma, storage);
    const other = (await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "运营", role: "operator", passwordHash: "-", createdAt: new Date() } })).id;
    expect(await code(openExportFile(database.prisma, storage, { staffId: other, role: "operator" }, job.id))).toBe("NOT_FOUND");
    expect(await code(openExportFile(database.prisma, storage, { staffId: owner, role: "finance" }, job.id))).toBe("FORBIDDEN");
    expect(await database.prisma.auditLog.count({ where: { action: "export.downloaded" } })).toBe(0);
  });
});
