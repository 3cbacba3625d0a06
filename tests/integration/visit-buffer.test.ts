// Share-link visits are written in batches (issue 14, item 6): many landing-page views cost one write
// transaction, each known code's visit is recorded with its KPI fact, unknown codes are dropped.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { VisitBuffer } from "../../server/referral/visit-buffer";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

describe("visit buffer", () => {
  it("40 page views of two codes and a bad one: one transaction, 30 visits with their KPI facts", async () => {
    const db = database.prisma;
    const a = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    const b = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "b" }));
    const transactions = vi.spyOn(db, "$transaction");
    const buffer = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 1000 });
    const at = new Date();
    for (let i = 0; i < 20; i++) buffer.add({ code: a.referralCode, visitorId: `v${i}`, at });
    for (let i = 0; i < 10; i++) buffer.add({ code: b.referralCode.toLowerCase(), visitorId: null, at });
    for (let i = 0; i < 10; i++) buffer.add({ code: "NOPE!!", visitorId: null, at });
    // Nothing is written per view.
    expect(await db.referralVisit.count()).toBe(0);
    await buffer.flush();
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(await db.referralVisit.count({ where: { memberId: a.id } })).toBe(20);
    expect(await db.referralVisit.count({ where: { memberId: b.id, visitorId: null } })).toBe(10);
    expect(await db.kpiFact.count({ where: { kind: "visit" } })).toBe(30);
    expect(await db.kpiFact.count({ where: { kind: "visit", memberId: a.id } })).toBe(20);
  });

  it("a frozen member's link counts no visit (its landing page says the link is invalid, even from the page cache)", async () => {
    const db = database.prisma;
    const a = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    const f = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "f" }));
    await db.member.update({ where: { id: f.id }, data: { frozen: true } });
    const buffer = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 1000 });
    buffer.add({ code: f.referralCode, visitorId: "v1", at: new Date() });
    buffer.add({ code: a.referralCode, visitorId: "v2", at: new Date() });
    await buffer.flush();
    expect(await db.referralVisit.count({ where: { memberId: f.id } })).toBe(0);
    expect(await db.referralVisit.count({ where: { memberId: a.id } })).toBe(1);
    expect(await db.kpiFact.count({ where: { kind: "visit" } })).toBe(1);
  });

  it("a reload by the same visitor within 30 minutes is not another visit; new visitors from one network count 30 an hour, returning ones all", async () => {
    const db = database.prisma;
    const a = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    const b = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "b" }));
    const buffer = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 1000 });
    const t0 = Date.parse("2026-12-05T10:00:00Z");
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    // One visitor with our cookie: at 0, a reload at 29:59 (not counted), again at 30 (counted).
    expect(buffer.add({ code: a.referralCode, visitorId: "v1", at: at(0) })).toBe(true);
    expect(buffer.add({ code: a.referralCode, visitorId: "v1", at: new Date(t0 + 30 * 60_000 - 1_000) })).toBe(false);
    expect(buffer.add({ code: a.referralCode, visitorId: "v1", at: at(30) })).toBe(true);
    // The same visitor opening b's link is b's visit.
    expect(buffer.add({ code: b.referralCode, visitorId: "v1", at: at(1) })).toBe(true);
    // 40 requests without a cookie (a new visitor id each) from net-2 within the hour: 30 counted; a new one from net-3 is.
    let counted = 0;
    for (let i = 0; i < 40; i++) if (buffer.add({ code: a.referralCode, visitorId: `flood-${i}`, at: at(2 + i) }, "net-2")) counted++;
    expect(counted).toBe(30);
    expect(buffer.add({ code: a.referralCode, visitorId: "v3", at: at(5) }, "net-3")).toBe(true);
    // People behind net-2 who kept their cookie (an office, a carrier's NAT) still count: the budget is for new ids.
    expect(buffer.add({ code: a.referralCode, visitorId: "office-1", at: at(45) })).toBe(true);
    // flood-35 was refused at minute 37, so it was not remembered: back with its cookie at 40, it counts.
    expect(buffer.add({ code: a.referralCode, visitorId: "flood-35", at: at(40) })).toBe(true);
    // An hour after net-2's first counted new visitor its budget starts again.
    expect(buffer.add({ code: a.referralCode, visitorId: "flood-late", at: at(62) }, "net-2")).toBe(true);
    await buffer.flush();
    // a: v1 twice, 30 + 1 from net-2, v3, office-1, flood-35 = 36; b: 1.
    expect(await db.referralVisit.count({ where: { memberId: a.id } })).toBe(36);
    expect(await db.referralVisit.count({ where: { memberId: b.id } })).toBe(1);
  });

  it("a full batch is written without waiting for the timer", async () => {
    const db = database.prisma;
    const a = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    const buffer = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 5 });
    for (let i = 0; i < 5; i++) buffer.add({ code: a.referralCode, visitorId: null, at: new Date() });
    await buffer.flush();
    expect(await db.referralVisit.count()).toBe(5);
  });
});
