// The outbox's tier handlers act at the relay's now (the app clock's, server/clock/app-clock.ts), not the machine's:
// with the test clock days ahead (FM_TEST_CLOCK), a member made partner by an order completed at the clock's date was
// recomputed at the real date (gmv90 window empty, the rules then in force) and told three times "您的等级已变为 推广员",
// with MemberStatusChange rows partner → member stamped at the real date, until the nightly review put them back.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { parseConfig } from "../server/config/schema";
import { localSink, relayOutbox } from "../server/events/relay";
import { DAY, HOUR } from "../server/clock/time";
import { freshDatabase } from "./helpers/db";
import { completedOrder, seedTeaShop } from "./helpers/inngest";

const config = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minGmv90Fen: 10000 }] });

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
  await seedTeaShop(database.prisma, config);
});
afterEach(() => database.close());

const relayAll = async (now: Date) => {
  while ((await relayOutbox(database.prisma, localSink(database.prisma), 100, now)) > 0);
};
const tierOf = async (id: number) => (await database.prisma.member.findUniqueOrThrow({ where: { id } })).tier;

it("a relay pass at the clock's now, days ahead of real time, recomputes over the gmv90 window ending then", async () => {
  // Paid 400 days ahead of real time, completed 7 days later: the sponsor (and the buyer) reach partner in that transaction.
  const t0 = new Date(Date.now() + 400 * DAY);
  const { sponsor, buyer } = await completedOrder(database.prisma, config, t0, "wall");
  expect(await tierOf(sponsor.id)).toBe("partner");
  const before = await database.prisma.notification.count();
  expect(await database.prisma.outboxEvent.count({ where: { name: { in: ["order/paid", "order/completed"] }, sentAt: null } })).toBeGreaterThan(0);

  const clockNow = new Date(t0.getTime() + 7 * DAY + HOUR);
  await relayAll(clockNow);

  // 100 元 completed at t0 + 7 d lies in [clockNow − 90 d, clockNow]: still 10000 fen ≥ the partner threshold.
  expect(await tierOf(sponsor.id)).toBe("partner");
  expect(await tierOf(buyer.id)).toBe("partner");
  expect(await database.prisma.memberStatusChange.count({ where: { kind: "TIER", value: "member" } })).toBe(0);
  expect(await database.prisma.notification.count()).toBe(before);
  expect(await database.prisma.outboxEvent.count({ where: { sentAt: null } })).toBe(0);
  expect(await database.prisma.outboxEvent.count({ where: { sentAt: clockNow } })).toBeGreaterThan(0);
});

it("a relay pass at the clock's now recomputes under the rule version in force then, stamping the change then", async () => {
  // Completed 3 days before real time: partner (10000 fen ≥ 10000) under the rules of the MallConfig.
  const t0 = new Date(Date.now() - 10 * DAY);
  const { sponsor } = await completedOrder(database.prisma, config, t0, "wall");
  expect(await tierOf(sponsor.id)).toBe("partner");
  // A version effective tomorrow (real time) raises the threshold to 200 元; the clock is one day ahead.
  const clockNow = new Date(Date.now() + DAY + HOUR);
  const raised = parseConfig({ tiers: [{ name: "member" }, { name: "partner", minGmv90Fen: 20000 }] });
  await database.prisma.ruleVersion.create({ data: { version: 1, config: raised as object, reason: "test", createdAt: t0, effectiveAt: new Date(Date.now() + DAY) } });

  await relayAll(clockNow);

  // 10000 fen < 20000 under the version in force at clockNow; the window still holds the completion (≈ 4 days before).
  expect(await tierOf(sponsor.id)).toBe("member");
  const change = await database.prisma.memberStatusChange.findFirstOrThrow({ where: { memberId: sponsor.id, kind: "TIER", value: "member" } });
  expect(change).toMatchObject({ previous: "partner", at: clockNow });
  const notice = await database.prisma.notification.findFirstOrThrow({ where: { memberId: sponsor.id, kind: "tier" }, orderBy: { id: "desc" } });
  expect(notice.createdAt).toEqual(clockNow);
});
