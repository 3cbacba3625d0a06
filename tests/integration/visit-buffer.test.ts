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

  it("a full batch is written without waiting for the timer", async () => {
    const db = database.prisma;
    const a = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "a" }));
    const buffer = new VisitBuffer(async () => db, { delayMs: 60_000, maxBatch: 5 });
    for (let i = 0; i < 5; i++) buffer.add({ code: a.referralCode, visitorId: null, at: new Date() });
    await buffer.flush();
    expect(await db.referralVisit.count()).toBe(5);
  });
});
