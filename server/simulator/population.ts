// The what-if simulator's input (issue 11, seed 004's 收益模拟器): a population the merchant describes,
// turned into a SPEC §10 scenario deterministically from a seed, so the same inputs give the same run.
import { z } from "@/lib/zod-client";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { MallConfig } from "../config/schema";
import { duplicateRows } from "./limits";

export const MAX_MEMBERS = 20_000;

// Every refusal is Chinese and names its field (the form shows it beside the field, the API in its refusal); a custom
// rule also names itself (params.rule) for the English wording (error.issue.* in lib/i18n/messages/simulator.*.ts).
const num = (label: string) => z.number({ error: `${label}须为数字` });
const pct = (label: string) => num(label).min(0, `${label}不能小于 0%`).max(100, `${label}不能超过 100%`);

export const populationSchema = z.object({
  members: num("会员数").int("会员数须为整数").min(10, "会员数至少 10").max(MAX_MEMBERS, `会员数最多 ${MAX_MEMBERS}`),
  /** % of members who share their link. */
  sharerPercent: pct("分享者比例"),
  /** Average sign-ups each sharer brings. */
  invitesPerSharer: num("人均邀请").min(0, "人均邀请不能小于 0").max(50, "人均邀请最多 50"),
  /** % of members who place a first order. */
  firstOrderPercent: pct("首单转化率"),
  /** Category mix: each category's average order value (fen) and share of orders (weights). */
  categories: z
    .array(
      z.object({
        category: z.string({ error: "请填写类目代码" }).trim().min(1, "请填写类目代码").max(20, "类目代码最多 20 个字符").regex(/^[a-z0-9-]+$/, "类目代码只能含小写字母、数字和连字符"),
        priceFen: num("客单价").int("客单价须精确到分").min(1, "客单价至少 0.01 元").max(10_000_000, "客单价最多 100000 元"),
        weight: num("订单占比").min(0, "订单占比不能小于 0").max(100, "订单占比最多 100"),
      }),
      { error: "请填写类目构成" },
    )
    .min(1, "至少一个类目")
    .max(8, "最多 8 个类目")
    .refine((cs) => cs.some((c) => c.weight > 0), { message: "至少一个类目的订单占比须大于 0", params: { rule: "simWeights" } }),
  refundPercent: pct("退款率"),
  /** Average repeat orders per buyer over the horizon. */
  repeatOrders: num("人均复购次数").min(0, "人均复购次数不能小于 0").max(20, "人均复购次数最多 20"),
  horizonDays: num("模拟天数").int("模拟天数须为整数").min(7, "模拟天数至少 7 天").max(365, "模拟天数最多 365 天"),
  seed: num("随机种子").int("随机种子须为整数").min(0, "随机种子不能小于 0").max(2_147_483_647, "随机种子最多 2147483647"),
});
export type Population = z.infer<typeof populationSchema>;

/**
 * Most scenario events a new run may replay per rule set. The bench replays ~150 events/s per rule set
 * (rule sets run side by side), so 100 000 is about 11 minutes; the default shape at MAX_MEMBERS
 * (60% first orders, 1 repeat: ~92 000) still fits.
 */
export const MAX_EVENTS = 100_000;

/** Expected events of the scenario: a sign-up per member, and per order its order, payment and refund or delivery. */
export function expectedEvents(pop: Pick<Population, "members" | "firstOrderPercent" | "repeatOrders">): number {
  const orders = pop.members * (pop.firstOrderPercent / 100) * (1 + pop.repeatOrders);
  return Math.ceil(pop.members + 3 * orders) + 1;
}

/** A population for a new run (stored runs are read with populationSchema, as they were accepted). */
export const newPopulationSchema = populationSchema
  .extend({
    // Each category becomes a product of its own (its code is the SKU): a code twice cannot be replayed.
    categories: populationSchema.shape.categories.superRefine((cs, ctx) => {
      for (const i of duplicateRows(cs.map((c) => c.category))) ctx.addIssue({ code: "custom", path: [i, "category"], message: `类目重复：${cs[i]!.category}`, params: { rule: "simDuplicate", words: [cs[i]!.category] } });
    }),
  })
  .superRefine((pop, ctx) => {
    // Invitees are drawn from the members: sharers cannot bring more sign-ups than there are members.
    if (pop.sharerPercent * pop.invitesPerSharer > 100) {
      ctx.addIssue({ code: "custom", path: ["invitesPerSharer"], params: { rule: "simInvites" }, message: "分享者比例 × 每位分享者平均带来的注册数不能超过 100%（邀请来的新会员也计入会员总数）" });
    }
    // Bounds the work: the replay's length follows its events.
    const events = expectedEvents(pop);
    if (events > MAX_EVENTS) {
      ctx.addIssue({
        code: "custom",
        path: [],
        params: { rule: "simEvents" },
        message: `预计每组规则约 ${events} 个模拟事件，超过上限 ${MAX_EVENTS}（约 ${Math.round(MAX_EVENTS / 150 / 60)} 分钟）：请减少会员数、首单转化率或人均复购次数`,
      });
    }
  });

export const DEFAULT_POPULATION: Population = {
  members: 1_000,
  sharerPercent: 30,
  invitesPerSharer: 3,
  firstOrderPercent: 60,
  categories: [
    { category: "fmcg", priceFen: 9_900, weight: 70 },
    { category: "digital", priceFen: 59_900, weight: 30 },
  ],
  refundPercent: 5,
  repeatOrders: 1,
  horizonDays: 90,
  seed: 42,
};

/** Where simulated time starts: a fixed day, so a scenario does not depend on when it was generated. */
export const SIM_START = Date.parse("2026-01-01T00:00:00+08:00");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An order is paid a minute after it is placed. */
const PAY_DELAY = 60_000;

interface Rng {
  int(lo: number, hi: number): number;
  /** [0, 1) */
  float(): number;
  chance(pct: number): boolean;
}

function rngOf(seed: number): Rng {
  const g = xoroshiro128plus(seed);
  const float = () => uniformInt(g, 0, 0x3fffffff) / 0x40000000;
  return { int: (lo, hi) => uniformInt(g, lo, hi), float, chance: (p) => float() * 100 < p };
}

/** A count with the given mean: its integer part, plus one with the fraction's probability. */
const countWithMean = (rng: Rng, mean: number) => Math.floor(mean) + (rng.float() < mean - Math.floor(mean) ? 1 : 0);

type Event = Record<string, unknown> & { at: string; t: number };

const iso = (t: number) => new Date(t).toISOString();

/**
 * The scenario: members join over the first 80% of the horizon (so late orders can still settle);
 * a sharer's quota of sign-ups averages `invitesPerSharer`; members whose sponsor slots are full join
 * without one. Buyers order within 3 days of joining, repeat from 4 days on, some refund before delivery;
 * a member who joins too late for that timeline has it compressed into the horizon (no order or refund is dropped).
 * Every member has their own IP and device (the simulator models the rules, not fraud).
 */
export function generateScenario(pop: Population, config: MallConfig) {
  const rng = rngOf(pop.seed);
  const start = SIM_START;
  const end = start + pop.horizonDays * DAY;
  const joinSpan = pop.horizonDays * DAY * 0.8;
  const totalWeight = pop.categories.reduce((s, c) => s + c.weight, 0);
  const pickSku = () => {
    let x = rng.float() * totalWeight;
    for (const c of pop.categories) {
      if ((x -= c.weight) < 0) return c.category;
    }
    return pop.categories.find((c) => c.weight > 0)!.category;
  };

  const events: Event[] = [];
  // Sharers with open quota: member index → sign-ups still to bring.
  const open: number[] = [];
  const quota = new Map<number, number>();
  let orderNo = 0;
  let lastJoin = start;
  for (let i = 0; i < pop.members; i++) {
    const user = `m${i + 1}`;
    // Never before the previous member: with joins less than an hour apart the jitter would let an invitee join before their sponsor.
    const joinAt = Math.max(lastJoin, start + Math.floor((joinSpan * i) / pop.members) + rng.int(0, HOUR));
    lastJoin = joinAt;
    let sponsor: string | null = null;
    if (open.length > 0) {
      const k = rng.int(0, open.length - 1);
      const s = open[k];
      sponsor = `m${s + 1}`;
      const left = quota.get(s)! - 1;
      if (left <= 0) {
        open[k] = open[open.length - 1];
        open.pop();
      } else quota.set(s, left);
    }
    events.push({ t: joinAt, at: iso(joinAt), type: "register", user, sponsor, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, device: `sim-${i + 1}` });
    if (rng.chance(pop.sharerPercent)) {
      const q = countWithMean(rng, pop.invitesPerSharer * 2 * rng.float());
      if (q > 0) {
        quota.set(i, q);
        open.push(i);
      }
    }
    if (!rng.chance(pop.firstOrderPercent)) continue;
    const orders = 1 + countWithMean(rng, pop.repeatOrders);
    // The latest order offset whose payment still falls inside the horizon.
    const room = end - joinAt - 2 * PAY_DELAY;
    const span = orders > 1 ? Math.max(5 * DAY, room) : 3 * DAY;
    // One factor for all of a member's orders keeps the first before the repeats.
    const fit = Math.min(1, room / span);
    for (let k = 0; k < orders; k++) {
      const at = joinAt + Math.floor((k === 0 ? rng.int(HOUR, 3 * DAY) : rng.int(4 * DAY, span)) * fit);
      const order = `o${++orderNo}`;
      events.push({ t: at, at: iso(at), type: "order", order, user, lines: [{ sku: pickSku(), qty: 1 }], address: `addr-${user}` });
      events.push({ t: at + PAY_DELAY, at: iso(at + PAY_DELAY), type: "pay", order });
      if (rng.chance(pop.refundPercent)) {
        // Refunded after its payment (the engine refunds a paid order) within a day; one due past the horizon is
        // squeezed into what is left of it, as late orders are, so short horizons keep the asked refund rate.
        const paid = at + PAY_DELAY;
        const left = end - 1 - paid;
        const r = paid + Math.floor((rng.int(2 * HOUR, DAY) - PAY_DELAY) * Math.min(1, left / (DAY - PAY_DELAY)));
        events.push({ t: r, at: iso(r), type: "refund", order });
      } else {
        const d = at + rng.int(DAY, 4 * DAY);
        if (d < end) events.push({ t: d, at: iso(d), type: "deliver", order });
      }
    }
  }
  events.push({ t: end, at: iso(end), type: "advance" });
  // Stable sort by time: events at the same instant keep their generation order (register before order).
  const sorted = events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
  const products = pop.categories.map((c) => ({ sku: c.category, name: c.category, priceFen: c.priceFen, category: c.category, stock: pop.members * 25 }));
  return {
    config,
    products,
    events: sorted.map(({ t: _t, ...e }) => (e.sponsor === null ? (({ sponsor: _s, ...rest }) => rest)(e) : e)),
  };
}
export type GeneratedScenario = ReturnType<typeof generateScenario>;
