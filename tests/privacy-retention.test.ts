// The retention sweep (server/privacy/retention.ts): personal data no read needs any more is deleted or cleared, once a
// day, in batches; and an export is EXPIRED only once its file is gone (server/exports/jobs.ts).
import { mkdtemp, mkdir, readdir, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { recordReferralVisits, registerMember } from "../server/referral";
import { runRetentionSweep } from "../server/privacy/retention";
import { expireExports, removeStrayExportFiles } from "../server/exports/jobs";
import { LocalDiskStorage, type ObjectStorage } from "../server/storage";
import { freshDatabase } from "./helpers/db";

const DAY = 86_400_000;
const MINUTE = 60_000;
const now = new Date("2026-12-16T04:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

let database: Database;
let dir: string;
beforeEach(async () => {
  database = await freshDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "fm-retention-"));
});
afterEach(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

/** Storage that holds nothing: the sweeps of the database alone. */
const noFiles: ObjectStorage = { put: async () => {}, get: async () => null, putStream: async () => {}, getStream: async () => null, delete: async () => {} };

async function otp(createdAt: Date, usedAt: Date | null = null) {
  return database.prisma.otpCode.create({ data: { phoneHash: "p", codeHash: "c", expiresAt: new Date(createdAt.getTime() + 5 * MINUTE), createdAt, usedAt, verifiedNetwork: usedAt ? "1.2.3.4" : null } });
}

async function staff() {
  return database.prisma.staffAccount.create({ data: { username: `s${Math.random()}`, displayName: "店员", role: "owner", passwordHash: "-", createdAt: ago(400 * DAY) } });
}

async function session(staffId: number, createdAt: Date, extra: { revokedAt?: Date; lastSeenAt?: Date } = {}) {
  return database.prisma.staffSession.create({
    data: { staffId, tokenHash: `${Math.random()}`, createdAt, lastSeenAt: extra.lastSeenAt ?? createdAt, expiresAt: new Date(createdAt.getTime() + 12 * 3600_000), revokedAt: extra.revokedAt ?? null, ip: "1.2.3.4", userAgent: "UA" },
  });
}

describe("the retention sweep", () => {
  it("deletes SMS codes no read reaches any more: older than 90 days, and used (if at all) more than 90 days ago", async () => {
    const old = await otp(ago(90 * DAY + 1));
    const exactly = await otp(ago(90 * DAY));
    // Verified 89 days 23 h 59 min ago: its network is still known (KNOWN_NETWORK_MS), though it was sent just over 90 days ago.
    const stillKnown = await otp(ago(90 * DAY + 2 * MINUTE), ago(90 * DAY - MINUTE));
    const verifiedLongAgo = await otp(ago(100 * DAY), ago(100 * DAY - MINUTE));
    const report = await runRetentionSweep(database.prisma, noFiles, now);
    expect(report).toMatchObject({ otpCodes: 2, done: true });
    const left = (await database.prisma.otpCode.findMany({ orderBy: { id: "asc" } })).map((c) => c.id);
    expect(left).toEqual([exactly.id, stillKnown.id]);
    expect(left).not.toContain(old.id);
    expect(left).not.toContain(verifiedLongAgo.id);
  });

  it("deletes staff sessions ended (revoked, idle or expired) more than 90 days ago, and keeps the others", async () => {
    const s = await staff();
    // Started 91 days ago: expired 90.5 days ago.
    const expired = await session(s.id, ago(91 * DAY));
    // Started 90 days + 1 h ago, revoked 90 days + 30 min ago: it would have expired 89.5 days ago.
    const revoked = await session(s.id, ago(90 * DAY + 3600_000), { revokedAt: ago(90 * DAY + 30 * MINUTE) });
    // Started 90 days + 3 h ago, last seen then: idle (2 h) 90 days + 1 h ago, expiry not until 89.6 days ago.
    const idle = await session(s.id, ago(90 * DAY + 3 * 3600_000));
    // Started 90 days + 1 h ago, last seen an hour later: idle 89 days 22 h ago, so kept.
    const recent = await session(s.id, ago(90 * DAY + 3600_000), { lastSeenAt: ago(90 * DAY) });
    expect(await runRetentionSweep(database.prisma, noFiles, now)).toMatchObject({ staffSessions: 3 });
    const left = (await database.prisma.staffSession.findMany()).map((r) => r.id);
    expect(left).toEqual([recent.id]);
    expect([expired.id, revoked.id, idle.id].some((id) => left.includes(id))).toBe(false);
  });

  it("keeps a staff session still live by the wall clock it is checked against, with the app clock 100 days ahead", async () => {
    const s = await staff();
    const live = await session(s.id, new Date());
    await runRetentionSweep(database.prisma, noFiles, new Date(Date.now() + 100 * DAY));
    expect((await database.prisma.staffSession.findMany()).map((r) => r.id)).toContain(live.id);
  });

  it("share-link visits store no visitor id; the ids stored before are cleared", async () => {
    const config = parseConfig({});
    const a = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    await inTx(database.prisma, { config, now }, (ctx) => recordReferralVisits(ctx, [{ code: a.referralCode, visitorId: "v-new", at: now }]));
    expect((await database.prisma.referralVisit.findMany()).map((v) => v.visitorId)).toEqual([null]);
    await database.prisma.referralVisit.createMany({ data: [1, 2, 3].map((i) => ({ code: a.referralCode, memberId: a.id, visitorId: `v-old-${i}`, createdAt: ago(DAY) })) });
    expect(await runRetentionSweep(database.prisma, noFiles, now)).toMatchObject({ visitorIds: 3 });
    expect(await database.prisma.referralVisit.count({ where: { visitorId: { not: null } } })).toBe(0);
    expect(await database.prisma.referralVisit.count()).toBe(4);
  });

  it("clears the filters (an encrypted phone) of expired exports and of exports failed a week ago, keeping the language", async () => {
    const s = await staff();
    const job = (status: "EXPIRED" | "FAILED" | "DONE", createdAt: Date) =>
      database.prisma.exportJob.create({ data: { staffId: s.id, kind: "orders", params: { phone: { phoneEnc: "secret" }, locale: "en" }, status, fileName: "o.csv", createdAt } });
    const expired = await job("EXPIRED", ago(10 * DAY));
    const failedLongAgo = await job("FAILED", ago(7 * DAY + 1));
    const failedYesterday = await job("FAILED", ago(DAY));
    const done = await job("DONE", ago(DAY));
    expect(await runRetentionSweep(database.prisma, noFiles, now)).toMatchObject({ exportFilters: 2 });
    const params = async (id: number) => (await database.prisma.exportJob.findUniqueOrThrow({ where: { id } })).params;
    expect(await params(expired.id)).toEqual({ locale: "en" });
    expect(await params(failedLongAgo.id)).toEqual({ locale: "en" });
    expect(await params(failedYesterday.id)).toEqual({ phone: { phoneEnc: "secret" }, locale: "en" });
    expect(await params(done.id)).toEqual({ phone: { phoneEnc: "secret" }, locale: "en" });
  });

  it("works in batches, goes on at the next call until done, then runs once a day", async () => {
    for (let i = 0; i < 5; i++) await otp(ago(100 * DAY + i));
    const opts = { batchSize: 2, maxBatches: 2 };
    // 2 batches of 2: one left, so not done and not recorded as the day's run.
    expect(await runRetentionSweep(database.prisma, noFiles, now, opts)).toMatchObject({ otpCodes: 4, done: false });
    expect(await database.prisma.otpCode.count()).toBe(1);
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + 1), opts)).toMatchObject({ otpCodes: 1, done: true });
    await otp(ago(100 * DAY));
    // The day's run is done: nothing until a day after it.
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + DAY), opts)).toBeNull();
    expect(await database.prisma.otpCode.count()).toBe(1);
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + 1 + DAY), opts)).toMatchObject({ otpCodes: 1, done: true });
    expect(await database.prisma.otpCode.count()).toBe(0);
  });
});

describe("export files past their retention", () => {
  it("an expired job's file key is cleared only once its file is deleted: a failed delete is tried again at the next sweep", async () => {
    const s = await staff();
    const finishedAt = ago(7 * DAY + 1);
    const job = await database.prisma.exportJob.create({
      data: { staffId: s.id, kind: "orders", params: { phone: { phoneEnc: "secret" }, locale: "en" }, status: "DONE", fileKey: "private/exports/1-ab.csv", fileName: "o.csv", createdAt: finishedAt, finishedAt },
    });
    const files = new Set(["private/exports/1-ab.csv"]);
    let failing = true;
    const storage: ObjectStorage = {
      ...noFiles,
      delete: async (key) => {
        if (failing) throw new Error("disk busy");
        files.delete(key);
      },
    };
    // Expired (no longer served, its filter gone), but the file is still there and the job still names it.
    expect(await expireExports(database.prisma, storage, now)).toBe(1);
    expect(await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "EXPIRED", fileKey: "private/exports/1-ab.csv", params: { locale: "en" } });
    expect(files.size).toBe(1);
    failing = false;
    // The next sweep expires nothing new, and deletes the file this time.
    expect(await expireExports(database.prisma, storage, now)).toBe(0);
    expect(files.size).toBe(0);
    expect(await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "EXPIRED", fileKey: null });
  });

  it("removes files no finished job holds and abandoned uploads, once a day old", async () => {
    const s = await staff();
    const folder = path.join(dir, "private", "exports");
    await mkdir(folder, { recursive: true });
    const held = await database.prisma.exportJob.create({ data: { staffId: s.id, kind: "orders", params: {}, status: "DONE", fileKey: "private/exports/0-aa.csv", fileName: "o.csv", createdAt: ago(2 * DAY), finishedAt: ago(2 * DAY) } });
    const heldKey = `private/exports/${held.id}-aa.csv`;
    await database.prisma.exportJob.update({ where: { id: held.id }, data: { fileKey: heldKey } });
    const gone = await database.prisma.exportJob.create({ data: { staffId: s.id, kind: "orders", params: {}, status: "EXPIRED", fileKey: "private/exports/0-bb.csv", fileName: "o.csv", createdAt: ago(20 * DAY), finishedAt: ago(20 * DAY) } });
    const names = { held: `${held.id}-aa.csv`, ofExpired: `${gone.id}-bb.csv`, noJob: "99999-cc.csv", tmp: `${held.id}-dd.csv.0123456789ab.tmp`, fresh: "99998-ee.csv", freshTmp: "99998-ff.csv.0123456789ab.tmp" };
    for (const name of Object.values(names)) await writeFile(path.join(folder, name), "x");
    // On the file system's clock: the "fresh" ones were just written, the others are made two days old.
    const sweepAt = new Date();
    const twoDaysAgo = new Date(sweepAt.getTime() - 2 * DAY);
    for (const name of [names.held, names.ofExpired, names.noJob, names.tmp]) await utimes(path.join(folder, name), twoDaysAgo, twoDaysAgo);
    const storage = new LocalDiskStorage(dir);
    expect(await removeStrayExportFiles(database.prisma, storage, sweepAt)).toBe(3);
    expect((await readdir(folder)).sort()).toEqual([names.held, names.fresh, names.freshTmp].sort());
  });
});
