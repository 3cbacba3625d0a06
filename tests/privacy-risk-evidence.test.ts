// Risk evidence is not kept forever (PIPL; the default privacy policy's 保存期限): the daily retention sweep clears the IP
// address, device fingerprint and address fingerprint of a risk event 180 days after its review was decided (after it was
// made, for an event that flags nobody), keeping the event, its flags' verdicts and the evidence that names nobody (rule
// names, order numbers, counts). An event still under review keeps all of it. The back office shows a cleared field as such.
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { Prisma } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent, type RiskRule } from "../server/risk/flags";
import { riskCase } from "../server/risk/view";
import { PERSONAL_EVIDENCE_KEYS, RISK_EVIDENCE_RETENTION_DAYS, runRetentionSweep } from "../server/privacy/retention";
import { defaultLegalText } from "../server/legal/defaults";
import type { ObjectStorage } from "../server/storage";
import { evidenceRows } from "../app/merchant/risk/format";
import { RiskCase } from "../app/merchant/risk/[memberId]/RiskCase";
import { freshDatabase } from "./helpers/db";
import { planWithoutSeqscan } from "./helpers/plans";
import { renderInProviders } from "./helpers/render";

const DAY = 86_400_000;
const now = new Date("2026-12-16T04:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
// 180 days before now: a decision before it is past the retention period, one at it or after is not.
const cutoff = ago(180 * DAY);
const config = parseConfig({});

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const noFiles: ObjectStorage = { put: async () => {}, get: async () => null, putStream: async () => {}, getStream: async () => null, delete: async () => {} };

/** An event as server/referral and server/orders record it, made at `at`, its flags (of `flagged`, else made-up ids) decided at the times given (null: open). */
async function event(rule: RiskRule, at: Date, evidence: Record<string, unknown>, decisions: (Date | null)[] = [], flagged = decisions.map((_, i) => 100 + i)) {
  const e = await inTx(database.prisma, { config, now: at }, (ctx) => recordRiskEvent(ctx, rule, [1, ...flagged], flagged, evidence));
  const flags = await database.prisma.riskFlag.findMany({ where: { eventId: e.id }, orderBy: { id: "asc" } });
  for (const [i, decidedAt] of decisions.entries()) {
    if (decidedAt) await database.prisma.riskFlag.update({ where: { id: flags[i]!.id }, data: { status: i % 2 ? "REJECTED" : "APPROVED", decidedAt, decidedBy: 7 } });
  }
  return e;
}

const evidenceOf = async (id: number) => (await database.prisma.riskEvent.findUniqueOrThrow({ where: { id } })).evidence;

describe("the retention sweep and risk evidence", () => {
  it("clears the personal evidence of events decided (or, flagging nobody, made) more than 180 days ago, and only that", async () => {
    const sharedIp = await event("shared_ip", ago(200 * DAY), { ip: "10.1.2.3" }, [new Date(cutoff.getTime() - 1)]);
    const sharedAddress = await event("shared_address", ago(300 * DAY), { order: "FM20260201000001", sponsorOrder: "FM20260115000009", addressHash: "ah-9f2c" }, [ago(250 * DAY)]);
    // Binding refused: the event flags nobody, so it counts from when it was made.
    const sharedDevice = await event("shared_device", ago(181 * DAY), { device: "fp-7d1e" });
    // Made long ago, decided within the period: the complaint about the decision may still come.
    const decidedLately = await event("ip_burst", ago(400 * DAY), { ip: "10.9.9.9", signupsInWindow: 5 }, [ago(179 * DAY)]);
    const atTheCutoff = await event("shared_ip", ago(300 * DAY), { ip: "10.1.2.4" }, [cutoff]);
    // Still under review: everything stays, however old.
    const open = await event("ip_burst", ago(400 * DAY), { ip: "10.9.9.8", signupsInWindow: 6 }, [null]);
    // One flag decided long ago, the other of the same event only recently: the event was decided recently.
    const twoFlags = await event("ip_burst", ago(400 * DAY), { ip: "10.9.9.7", signupsInWindow: 7 }, [ago(390 * DAY), ago(10 * DAY)]);
    const recentDevice = await event("shared_device", ago(179 * DAY), { device: "fp-0000" });
    // Nothing personal in these: left as they are.
    const selfReferral = await event("self_referral", ago(400 * DAY), { code: "K7M2QX" });
    const largeOrder = await event("large_first_order", ago(400 * DAY), { order: "FM20251101000003", goodsFen: 250_000 }, [ago(390 * DAY)]);
    const flagsBefore = await database.prisma.riskFlag.findMany({ orderBy: { id: "asc" } });
    const eventsBefore = await database.prisma.riskEvent.findMany({ orderBy: { id: "asc" }, select: { id: true, rule: true, memberIds: true, createdAt: true } });

    expect(await runRetentionSweep(database.prisma, noFiles, now)).toMatchObject({ riskEvidence: 3, done: true });

    expect(await evidenceOf(sharedIp.id)).toEqual({ retentionCleared: ["ip"] });
    expect(await evidenceOf(sharedAddress.id)).toEqual({ order: "FM20260201000001", sponsorOrder: "FM20260115000009", retentionCleared: ["addressHash"] });
    expect(await evidenceOf(sharedDevice.id)).toEqual({ retentionCleared: ["device"] });
    expect(await evidenceOf(decidedLately.id)).toEqual({ ip: "10.9.9.9", signupsInWindow: 5 });
    expect(await evidenceOf(atTheCutoff.id)).toEqual({ ip: "10.1.2.4" });
    expect(await evidenceOf(open.id)).toEqual({ ip: "10.9.9.8", signupsInWindow: 6 });
    expect(await evidenceOf(twoFlags.id)).toEqual({ ip: "10.9.9.7", signupsInWindow: 7 });
    expect(await evidenceOf(recentDevice.id)).toEqual({ device: "fp-0000" });
    expect(await evidenceOf(selfReferral.id)).toEqual({ code: "K7M2QX" });
    expect(await evidenceOf(largeOrder.id)).toEqual({ order: "FM20251101000003", goodsFen: 250_000 });
    // The events and their verdicts stay as they were.
    expect(await database.prisma.riskFlag.findMany({ orderBy: { id: "asc" } })).toEqual(flagsBefore);
    expect(await database.prisma.riskEvent.findMany({ orderBy: { id: "asc" }, select: { id: true, rule: true, memberIds: true, createdAt: true } })).toEqual(eventsBefore);

    // A day later the one decided at the cutoff is past it (181 days), those of 179 days ago are not (180 days, not more); a day after, they are.
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + DAY))).toMatchObject({ riskEvidence: 1, done: true });
    expect(await evidenceOf(atTheCutoff.id)).toEqual({ retentionCleared: ["ip"] });
    expect(await evidenceOf(decidedLately.id)).toEqual({ ip: "10.9.9.9", signupsInWindow: 5 });
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + 2 * DAY))).toMatchObject({ riskEvidence: 2, done: true });
    expect(await evidenceOf(decidedLately.id)).toEqual({ signupsInWindow: 5, retentionCleared: ["ip"] });
    expect(await evidenceOf(recentDevice.id)).toEqual({ retentionCleared: ["device"] });
    expect(await evidenceOf(open.id)).toEqual({ ip: "10.9.9.8", signupsInWindow: 6 });
  });

  it("works in batches: a backlog goes on at the next call", async () => {
    for (let i = 0; i < 5; i++) await event("shared_ip", ago((200 + i) * DAY), { ip: `10.0.0.${i}` }, [ago((190 + i) * DAY)]);
    expect(await runRetentionSweep(database.prisma, noFiles, now, { batchSize: 2, maxBatches: 2 })).toMatchObject({ riskEvidence: 4, done: false });
    expect(await runRetentionSweep(database.prisma, noFiles, new Date(now.getTime() + 1), { batchSize: 2, maxBatches: 2 })).toMatchObject({ riskEvidence: 1, done: true });
    expect((await database.prisma.riskEvent.findMany()).map((e) => e.evidence)).toEqual(Array.from({ length: 5 }, () => ({ retentionCleared: ["ip"] })));
  });

  it("finds the events due through the partial index of those still holding personal evidence and the flags' event index", async () => {
    const [index] = await database.prisma.$queryRaw<{ indexdef: string }[]>`SELECT indexdef FROM pg_indexes WHERE indexname = 'RiskEvent_personal_evidence_idx'`;
    // The index covers exactly the keys the sweep clears.
    expect([...index!.indexdef.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]).sort()).toEqual([...PERSONAL_EVIDENCE_KEYS].sort());
    const plan = await planWithoutSeqscan(
      database.prisma,
      Prisma.sql`SELECT r.id FROM "RiskEvent" r WHERE r.evidence ?| ARRAY['ip', 'device', 'addressHash'] AND r."createdAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "RiskFlag" f WHERE f."eventId" = r.id AND (f.status = 'OPEN' OR COALESCE(f."decidedAt", f."createdAt") >= ${cutoff}))
        ORDER BY r."createdAt" LIMIT 500`,
    );
    expect(plan).toContain("RiskEvent_personal_evidence_idx");
    expect(plan).toContain("RiskFlag_eventId_idx");
  });

  it("the risk case page lists a cleared field as cleared by the retention period, in either language", async () => {
    const member = await inTx(database.prisma, { config, now: ago(300 * DAY) }, (ctx) => registerMember(ctx, { username: "burst", nickname: "小周" }));
    const e = await event("ip_burst", ago(300 * DAY), { ip: "10.9.9.9", signupsInWindow: 5 }, [ago(250 * DAY)], [member.id]);
    await runRetentionSweep(database.prisma, noFiles, now);
    const seen = await riskCase(database.prisma, member.id);
    expect(seen?.flags.map((f) => [f.status, f.rule])).toEqual([["APPROVED", "ip_burst"]]);
    const rows = evidenceRows(seen!.events.find((x) => x.id === e.id)!.evidence);
    expect(rows).toEqual([
      { key: "signupsInWindow", value: "5" },
      { key: "ip", value: "", cleared: true },
    ]);
    // The case page as the reviewer's browser first shows it: the field named, its value said to be cleared, not blank.
    const page = (locale: "zh-CN" | "en") =>
      renderInProviders(createElement(RiskCase, { memberId: member.id, freezeAt: 3 }), locale, (trpc, qc) => qc.setQueryData(trpc.merchantRisk.case.queryKey({ memberId: member.id }), seen as never)).html.replaceAll("<!-- -->", "");
    expect(page("zh-CN")).toMatch(/<dt[^>]*>注册 IP<\/dt><dd[^>]*data-testid="evidence-cleared"[^>]*>已按保留期限清除<\/dd>/);
    expect(page("en")).toMatch(/<dt[^>]*>Sign-up IP<\/dt><dd[^>]*data-testid="evidence-cleared"[^>]*>Cleared after the retention period<\/dd>/);
  });

  it("is what the default privacy policy says, in both languages", () => {
    expect(RISK_EVIDENCE_RETENTION_DAYS).toBe(180);
    expect(defaultLegalText("privacy", "zh-CN", "裂变商城")).toContain("风控记录中的 IP 地址、设备指纹和收货地址摘要，在该记录审核完毕 180 天后删除");
    expect(defaultLegalText("privacy", "en", "Fission Mall")).toContain("The IP addresses, device fingerprints and address fingerprints in a risk record are deleted 180 days after its review is decided");
  });
});
