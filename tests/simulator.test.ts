// What-if simulator (issue 11): the population → scenario generation is deterministic; a run replays
// it through the real engine per rule set, and the downloaded scenario replayed by the SPEC §10 runner
// (what `npm run scenario -- FILE --figures` does) gives the same figures; runs are queued with the guard and performed.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { parseScenario } from "../server/scenario/input";
import { runScenario, type ScenarioOutput } from "../server/scenario/run";
import { generateScenario, expectedEvents, DEFAULT_POPULATION, MAX_EVENTS, SIM_START, type Population } from "../server/simulator/population";
import { scenarioFigures, simulate, summarizeOutput, type RuleSetResult } from "../server/simulator/run";
import { queueSimulationTx, runQueuedSimulations, simulationRun, simulationScenario } from "../server/simulator";
import { freshDatabase, reusablePglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

/** A refusal's fields and Chinese messages (each issue also carries a machine-readable detail for other languages). */
const pathsAndMessages = (e: unknown) => (e as DomainError).issues?.map(({ path, message }) => ({ path, message }));

const OPERATOR = { staffId: 7, requestId: "req-sim" };
const small: Population = { ...DEFAULT_POPULATION, members: 24, sharerPercent: 50, invitesPerSharer: 2, firstOrderPercent: 80, repeatOrders: 0.5, horizonDays: 30, seed: 7 };

describe("scenario generation", () => {
  it("is deterministic per seed and follows the population", () => {
    const config = parseConfig({});
    const pop = { ...DEFAULT_POPULATION, members: 2_000, seed: 11 };
    const a = generateScenario(pop, config);
    expect(generateScenario(pop, config)).toEqual(a);
    expect(generateScenario({ ...pop, seed: 12 }, config)).not.toEqual(a);
    // A valid SPEC §10 scenario, in time order.
    const parsed = parseScenario(a);
    expect(parsed.events.length).toBe(a.events.length);
    const registers = a.events.filter((e) => e.type === "register");
    expect(registers.length).toBe(2_000);
    // First orders: 60% of members (Binomial(2000, 0.6): sd ≈ 22; ±5 sd), minus those past the horizon (none: joins end at 80%).
    const buyers = new Set(a.events.filter((e) => e.type === "order").map((e) => e.user as string));
    expect(buyers.size).toBeGreaterThan(1_090);
    expect(buyers.size).toBeLessThan(1_310);
    // Sponsored sign-ups ≈ sharers (30%) × 3 invites each = 0.9 per member, capped by later joiners.
    const sponsored = registers.filter((e) => "sponsor" in e).length;
    expect(sponsored).toBeGreaterThan(1_400);
    expect(sponsored).toBeLessThan(2_000);
    // The category mix: 70% fmcg by weight.
    const lines = a.events.filter((e) => e.type === "order").map((e) => (e.lines as { sku: string }[])[0].sku);
    const fmcg = lines.filter((s) => s === "fmcg").length / lines.length;
    expect(fmcg).toBeGreaterThan(0.65);
    expect(fmcg).toBeLessThan(0.75);
  });

  it("fits every order of a short horizon inside it, the first before the repeats", () => {
    for (const [horizonDays, repeatOrders] of [[7, 5], [14, 1], [20, 3]]) {
      const pop = { ...DEFAULT_POPULATION, members: 200, firstOrderPercent: 100, repeatOrders, horizonDays, refundPercent: 0, seed: 3 };
      const { events } = generateScenario(pop, parseConfig({}));
      const end = SIM_START + horizonDays * 86_400_000;
      const orders = events.filter((e) => e.type === "order");
      // Every member buys once and repeats exactly repeatOrders times (a whole mean has no random part).
      expect(orders).toHaveLength(200 * (1 + repeatOrders));
      expect(events.filter((e) => e.type === "pay")).toHaveLength(orders.length);
      expect(events.filter((e) => e.type !== "advance").every((e) => Date.parse(e.at) < end)).toBe(true);
      // A member's first order is numbered before their repeats: in time (events are in time order) it comes first too.
      const byUser = new Map<string, number[]>();
      for (const e of orders) byUser.set(e.user as string, [...(byUser.get(e.user as string) ?? []), Number((e.order as string).slice(1))]);
      for (const nums of byUser.values()) expect(nums[0]).toBe(Math.min(...nums));
      // Whole means: the estimate that bounds a run is an upper bound here.
      expect(events.length).toBeLessThanOrEqual(expectedEvents(pop));
    }
  });

  it("refunds the asked share of orders on short horizons too, each after its payment and before the end", () => {
    const config = parseConfig({});
    for (const horizonDays of [7, 14]) {
      const end = SIM_START + horizonDays * 86_400_000;
      // Every order refunded: a refund due past the end is squeezed in, not dropped.
      const all = generateScenario({ ...DEFAULT_POPULATION, members: 500, horizonDays, refundPercent: 100 }, config).events;
      const paidAt = new Map(all.filter((e) => e.type === "pay").map((e) => [e.order, Date.parse(e.at)]));
      const refunds = all.filter((e) => e.type === "refund");
      expect(refunds).toHaveLength(all.filter((e) => e.type === "order").length);
      expect(all.filter((e) => e.type === "deliver")).toHaveLength(0);
      for (const r of refunds) {
        expect(Date.parse(r.at)).toBeGreaterThan(paidAt.get(r.order)!);
        expect(Date.parse(r.at)).toBeLessThan(end);
      }
      // 20% asked: each of ~6 000 orders is refunded with probability 0.2, so the count is Binomial(n, 0.2), within 5 sd of 0.2 n.
      const events = generateScenario({ ...DEFAULT_POPULATION, members: 5_000, horizonDays, refundPercent: 20 }, config).events;
      const n = events.filter((e) => e.type === "order").length;
      const refunded = events.filter((e) => e.type === "refund").length;
      expect(Math.abs(refunded - 0.2 * n)).toBeLessThan(5 * Math.sqrt(n * 0.2 * 0.8));
    }
  });

  it("lets no invitee join before their sponsor when joins are less than an hour apart", () => {
    // 5 000 members over 90 days join ~21 minutes apart, closer than the hour of jitter.
    const a = generateScenario({ ...DEFAULT_POPULATION, members: 5_000, horizonDays: 90 }, parseConfig({}));
    expect(parseScenario(a).events.length).toBe(a.events.length);
    // Sponsors are earlier members, so members joining in their own order join after their sponsors.
    expect(a.events.filter((e) => e.type === "register").map((e) => e.user)).toEqual(Array.from({ length: 5_000 }, (_, i) => `m${i + 1}`));
  });
});

describe("figures of a replay", () => {
  it("are read from the output and the scenario's orders, by hand", () => {
    const wallet = (pending: number, available: number) => ({ pending, available, withdrawing: 0, withdrawn: 0, credit: 0 });
    const seat = { parent: null, level: 1, position: 0 };
    const out: ScenarioOutput = {
      users: {
        a: { sponsor: null, seat, tier: "promoter", wallet: wallet(500, 9_900) },
        b: { sponsor: "a", seat, tier: "member", wallet: wallet(0, 0) },
        c: { sponsor: "a", seat, tier: "member", wallet: wallet(0, 990) },
      },
      orders: { o1: { status: "COMPLETED", goodsFen: 9_900 }, o2: { status: "REFUNDED", goodsFen: 5_000 }, o3: { status: "PAID", goodsFen: 5_000 }, o4: { status: "PENDING_PAYMENT", goodsFen: 100 } },
      commissions: [
        { order: "o1", beneficiary: "a", level: 1, amountFen: 990, status: "SETTLED" },
        { order: "o2", beneficiary: "a", level: 1, amountFen: 500, status: "VOID" },
        { order: "o3", beneficiary: "a", level: 1, amountFen: 500, status: "PENDING" },
      ],
      rebateTasks: [
        { user: "a", anchorOrder: "o1", status: "PAID", invitees: ["b", "c"], amountFen: 8_910 },
        { user: "b", anchorOrder: "o3", status: "OPEN", invitees: [], amountFen: 0 },
        { user: "c", anchorOrder: "o2", status: "VOID", invitees: [], amountFen: 0 },
      ],
      riskEvents: [],
    };
    // Who placed each order: the scenario's order events.
    const scenario = { events: [["o1", "a"], ["o2", "c"], ["o3", "b"], ["o4", "c"]].map(([order, user]) => ({ type: "order", order, user })) };
    expect(summarizeOutput(out, scenario)).toEqual({
      members: 3,
      orders: 2, // o1 and o3; o2 refunded, o4 unpaid
      gmvFen: 14_900,
      refundedOrders: 1,
      payingMembers: 2, // a (o1) and b (o3); c's only order was refunded
      commissionsFen: 1_490,
      commissionsByLevelFen: [1_490, 0, 0],
      cashbackFen: 8_910,
      tasksOpened: 3,
      tasksMet: 1,
      walletTotalFen: 11_390,
      tiers: { promoter: 1, member: 2 },
      // a: ¥104 → [¥50, ¥200); b: 0; c: ¥9.90 → [¥0.01, ¥10)
      earnings: [1, 1, 0, 1, 0, 0],
    });
  });
});

describe("paying members", () => {
  const wallet = { pending: 0, available: 0, withdrawing: 0, withdrawn: 0, credit: 0 };
  const member = { sponsor: null, seat: { parent: null, level: 1, position: 0 }, tier: "member", wallet };

  it("are the members with a paid, unrefunded order, whatever their 推三返一 tasks", () => {
    const out: ScenarioOutput = {
      users: { a: member, b: member, c: member, d: member, e: member },
      orders: {
        o1: { status: "PAID", goodsFen: 100 },
        o2: { status: "COMPLETED", goodsFen: 100 },
        o3: { status: "REFUNDED", goodsFen: 100 },
        o4: { status: "PENDING_PAYMENT", goodsFen: 100 },
        o5: { status: "SHIPPED", goodsFen: 100 },
        o6: { status: "DELIVERED", goodsFen: 100 },
        o7: { status: "PAID", goodsFen: 100 },
      },
      commissions: [],
      // b's only task is on the refunded order; nobody else has one (no cashback, or orders under the minimum anchor).
      rebateTasks: [{ user: "b", anchorOrder: "o3", status: "VOID", invitees: [], amountFen: 0 }],
      riskEvents: [],
    };
    const placed = { o1: "a", o2: "a", o3: "b", o4: "c", o5: "d", o6: "e", o7: "b" };
    const scenario = { events: Object.entries(placed).map(([order, user]) => ({ type: "order", order, user })) };
    // a (o1, o2: counted once), b (o7 after the refunded o3), d (o5), e (o6); c never paid.
    expect(summarizeOutput(out, scenario).payingMembers).toBe(4);
  });

  it("are the same under rule sets that change only the 推三返一 campaign: off, no cashback, a high minimum anchor", async () => {
    const a = parseConfig({});
    const variants = [{ enabled: false }, { percent: 0 }, { minAnchorFen: 50_000 }].map((r) => parseConfig({ ...a, rebate: { ...a.rebate, ...r } }));
    const { ruleSets } = await simulate({ ...small, members: 16, horizonDays: 14 }, [a, ...variants], undefined, reusablePglite);
    // Same scenario, same orders, so the same buyers, whatever tasks the campaign opens.
    const [first] = ruleSets;
    expect(first.payingMembers).toBeGreaterThan(0);
    expect(ruleSets.map((r) => [r.orders, r.payingMembers])).toEqual(ruleSets.map(() => [first.orders, first.payingMembers]));
    // Campaign off: no task at all (SPEC §5), still every buyer counted.
    expect(ruleSets[1].tasksOpened).toBe(0);
  }, 300_000);
});

describe("simulation runs", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("refuses a bad population and a rule set the compliance guard refuses, per field", async () => {
    const e = await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: { ...small, members: 5, refundPercent: 120 } }, new Date()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect(pathsAndMessages(e)).toEqual([
      { path: "population.members", message: "会员数至少 10" },
      { path: "population.refundPercent", message: "退款率不能超过 100%" },
    ]);
    const b = await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: small, changes: { commission: { ratesBps: [1000, 500, 200, 100] } } }, new Date()).catch((x: unknown) => x);
    expect((b as DomainError).issues?.[0]?.path).toBe("commission.ratesBps");
    expect(await database.prisma.simulationRun.count()).toBe(0);
  });

  it("refuses more sign-ups by sharers than there are members, on the invitations field, in the API's refusal too", async () => {
    // 50% sharers × 5 sign-ups each = 2.5 invitees per member; 50% × 2 = exactly every member, still possible.
    const e = await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: { ...small, sharerPercent: 50, invitesPerSharer: 5 } }, new Date()).catch((x: unknown) => x);
    expect(pathsAndMessages(e)).toEqual([{ path: "population.invitesPerSharer", message: "分享者比例 × 每位分享者平均带来的注册数不能超过 100%（邀请来的新会员也计入会员总数）" }]);
    expect(await database.prisma.simulationRun.count()).toBe(0);
    const { caller } = await signedInStaff(database.prisma, "operator");
    const refused = await refusal(caller.merchantSimulator.queue({ name: "x", population: { ...small, sharerPercent: 100, invitesPerSharer: 1.5 } }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("邀请来的新会员也计入会员总数");
    await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: { ...small, sharerPercent: 50, invitesPerSharer: 2 } }, new Date());
    expect(await database.prisma.simulationRun.count()).toBe(1);
  });

  it("refuses a category code given twice, on the row that repeats it", async () => {
    const categories = [
      { category: "fmcg", priceFen: 9_900, weight: 50 },
      { category: "digital", priceFen: 59_900, weight: 20 },
      { category: "fmcg", priceFen: 59_900, weight: 30 },
    ];
    const e = await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: { ...small, categories } }, new Date()).catch((x: unknown) => x);
    expect(pathsAndMessages(e)).toEqual([{ path: "population.categories.2.category", message: "类目重复：fmcg" }]);
    expect(await database.prisma.simulationRun.count()).toBe(0);
  });

  it("refuses a population whose replay would be too long, naming the fields to lower; the default shape at the most members fits", async () => {
    // 20 000 members, 60% buy, 1 + 2 orders each: 36 000 orders × 3 events + 20 000 sign-ups + the final advance.
    const big = { ...DEFAULT_POPULATION, members: 20_000, firstOrderPercent: 60, repeatOrders: 2 };
    expect(expectedEvents(big)).toBe(128_001);
    const e = await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: big }, new Date()).catch((x: unknown) => x);
    expect(pathsAndMessages(e)).toEqual([
      { path: "population", message: `预计每组规则约 128001 个模拟事件，超过上限 ${MAX_EVENTS}（约 11 分钟）：请减少会员数、首单转化率或人均复购次数` },
    ]);
    // 12 000 buyers × 2 orders × 3 + 20 000 + 1 = 92 001.
    await queueSimulationTx(database.prisma, OPERATOR, { name: "x", population: { ...big, repeatOrders: 1 } }, new Date());
    expect(await database.prisma.simulationRun.count()).toBe(1);
    // Through the API: a 400 with the message, not a run that takes hours.
    const { caller } = await signedInStaff(database.prisma, "operator");
    const refused = await refusal(caller.merchantSimulator.queue({ name: "x", population: big }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("请减少会员数、首单转化率或人均复购次数");
    expect(await database.prisma.simulationRun.count()).toBe(1);
  });

  it("performs a queued A/B run, keeps it, and its scenario replays to the same figures", async () => {
    const { id } = await queueSimulationTx(database.prisma, OPERATOR, { name: "一人即返", population: small, changes: { rebate: { n: 1 } } }, new Date());
    expect(await runQueuedSimulations(database.prisma)).toBe(1);
    expect(await runQueuedSimulations(database.prisma)).toBe(0);
    const run = (await simulationRun(database.prisma, id))!;
    expect(run).toMatchObject({ status: "DONE", progress: 1000, error: null });
    const [a, b] = run.result!.ruleSets;
    expect(run.configs.map((c) => c.rebate.n)).toEqual([3, 1]);
    // Same population, same orders: only the rewards differ.
    expect(b.gmvFen).toBe(a.gmvFen);
    expect(b.orders).toBe(a.orders);
    expect(a.gmvFen).toBeGreaterThan(0);
    // One invitee meets a task where three are needed: B meets at least as many.
    expect(b.tasksMet).toBeGreaterThanOrEqual(a.tasksMet);
    expect(b.tasksMet).toBeGreaterThan(0);
    expect(a.earnings.reduce((s, n) => s + n, 0)).toBe(small.members);

    // The downloaded scenario, replayed as `npm run scenario -- FILE --figures` does (no simulation
    // shortcuts), gives every one of B's figures again: bonuses and the cash flow too.
    const scenario = JSON.parse(JSON.stringify(await simulationScenario(database.prisma, id, 1)));
    expect(await scenarioFigures(scenario, parseScenario(scenario).config.timeZone, { open: reusablePglite })).toEqual(b);
    // The cash flow ends with what members are still owed.
    const pendingAtEnd = Object.values((await runScenario(scenario, { open: reusablePglite })).users).reduce((s, u) => s + u.wallet.pending, 0);
    expect(b.cashFlow.at(-1)!.liabilityFen).toBe(pendingAtEnd);
  }, 600_000);

  it("`npm run scenario -- FILE --figures` prints a downloaded scenario's figures", async () => {
    const scenario = generateScenario({ ...small, members: 12, horizonDays: 20, seed: 5 }, parseConfig({}));
    const dir = mkdtempSync(path.join(tmpdir(), "fm-scenario-"));
    try {
      writeFileSync(path.join(dir, "s.json"), JSON.stringify(scenario));
      const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/scenario.ts", path.join(dir, "s.json"), "--figures"], { cwd: process.cwd() });
      const printed = JSON.parse(stdout) as RuleSetResult;
      expect(printed).toEqual(await scenarioFigures(scenario, "Asia/Shanghai", { open: reusablePglite }));
      expect(printed.gmvFen).toBeGreaterThan(0);
      expect(printed.cashFlow.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("a simulation-only replay changes exactly the rows a normal one does, less notifications, outbox events, KPI facts and deadline reminders", async () => {
    const scenario = generateScenario({ ...small, members: 30, horizonDays: 40, seed: 3 }, parseConfig({}));
    // Every table's rows (as JSON, sorted), but the kinds of writes a simulation skips.
    const skipped = ["Notification", "ChannelMessage", "OutboxEvent", "KpiFact"];
    // A 推三返一 deadline reminder is only a message: a simulation schedules none, so it marks no task
    // reminded and the later transitions' ids shift (compared without ids).
    const reminders: Record<string, number> = {};
    let simulating = false;
    const lessReminders = (t: string, json: string): string | null => {
      if (t !== "DueTransition" && t !== "RebateTask") return json;
      const { id, ...row } = JSON.parse(json) as Record<string, unknown>;
      if (t === "RebateTask") return JSON.stringify({ id, ...row, deadlineRemindedAt: null });
      if (row.kind !== "REBATE_DEADLINE_REMINDER") return JSON.stringify(row);
      reminders[String(simulating)] = (reminders[String(simulating)] ?? 0) + 1;
      return null;
    };
    // Column defaults read the wall clock (e.g. a product's createdAt); simulated time is all before the test started.
    const started = Date.now();
    const wall = (row: string) => row.replace(/"(\d{4}-\d\d-\d\dT[^"]+)"/g, (m, iso: string) => (Date.parse(iso) >= started ? '"(wall clock)"' : m));
    const replay = async (simulation: boolean) => {
      simulating = simulation;
      const tables: Record<string, string[]> = {};
      const counts: Record<string, number> = {};
      const output = await runScenario(scenario, {
        open: reusablePglite,
        simulation,
        inspect: async (db) => {
          const names = await db.$queryRaw<{ t: string }[]>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`;
          for (const { t } of names) {
            const rows = await db.$queryRawUnsafe<{ r: string }[]>(`SELECT to_jsonb(x)::text AS r FROM "${t}" x ORDER BY 1`);
            if (skipped.includes(t)) counts[t] = rows.length;
            else tables[t] = rows.flatMap((r) => lessReminders(t, wall(r.r)) ?? []).sort();
          }
        },
      });
      return { output, tables, counts };
    };
    const normal = await replay(false);
    const lean = await replay(true);
    expect(lean.output).toEqual(normal.output);
    expect(lean.tables).toEqual(normal.tables);
    expect(normal.tables.LedgerEntry.length).toBeGreaterThan(0);
    expect(normal.tables.DueTransition.length).toBeGreaterThan(0);
    expect(normal.counts.Notification).toBeGreaterThan(0);
    expect(normal.counts.KpiFact).toBeGreaterThan(0);
    expect(normal.counts.OutboxEvent).toBeGreaterThan(0);
    // Only the wake-ups written with their due transition (one statement) remain in a simulation.
    expect(lean.counts).toMatchObject({ Notification: 0, ChannelMessage: 0, KpiFact: 0 });
    expect(lean.counts.OutboxEvent).toBe(lean.tables.DueTransition.length);
    expect(reminders).toEqual({ false: expect.any(Number) });
    expect(reminders.false).toBeGreaterThan(0);
  }, 300_000);

  it("same seed, same result, in this process or in a child process per rule set", async () => {
    const config = parseConfig({});
    const pop = { ...small, members: 15, horizonDays: 14 };
    const one = await simulate(pop, [config], undefined, reusablePglite);
    const two = await simulate(pop, [config], undefined, reusablePglite);
    expect(two).toEqual(one);
    // Two rule sets at once, each in its own child process: the same figures as one after the other here.
    const b = parseConfig({ ...config, rebate: { ...config.rebate, n: 1 } });
    const progress: number[] = [];
    const children = await simulate(pop, [config, b], (f) => void progress.push(f));
    expect(children).toEqual(await simulate(pop, [config, b], undefined, reusablePglite));
    expect(children.ruleSets[0]).toEqual(one.ruleSets[0]);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  }, 300_000);
});
