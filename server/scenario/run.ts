// Scenario replay (SPEC §10): the real engine on a fresh embedded database with a simulated clock.
// Before each event (and at the end) every transition due at or before its time is performed in
// due-time order; an event the rules refuse changes nothing and the replay goes on.
import type { Database, Db } from "../db";
import { openPglite } from "../db";
import { migratedSnapshot } from "../db/snapshot";
import type { PGlite } from "@electric-sql/pglite";
import { inTx, DomainError, type Ctx } from "../context";
import type { MallConfig } from "../config/schema";
import { registerMember } from "../referral";
import { createSimpleProduct } from "../catalog/admin";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, refundOrder } from "../orders";
import { reviewMember } from "../risk/review";
import { earliestDue, runDueTransitions, ensureRecurringTransitions, type DueRow } from "../scheduler";
import { recomputeTiers } from "../tiers";
import { heldMembers } from "../risk/flags";
import { commissionDisplayStatus, taskAmountFen, taskDisplayStatus } from "../rebate/view";
import { parseScenario, type ScenarioEvent, type ScenarioInput } from "./input";
import { walletNumbers } from "../wallet/ledger";

export interface ScenarioOutput {
  users: Record<string, {
    sponsor: string | null;
    seat: { parent: string | null; level: number; position: number };
    tier: string;
    wallet: { pending: number; available: number; withdrawing: number; withdrawn: number; credit: number };
  }>;
  orders: Record<string, { status: string; goodsFen: number }>;
  commissions: { order: string; beneficiary: string; level: number; amountFen: number; status: string }[];
  rebateTasks: { user: string; anchorOrder: string; status: string; invitees: string[]; amountFen: number }[];
  riskEvents: { rule: string; users: string[] }[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function cmpList(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

export interface RunOptions {
  /** Opens the fresh database to replay on (default: in-memory PGlite with the migrations). */
  open?: () => Promise<Database>;
  /** Called with the database after the replay, before it is closed (property tests). */
  inspect?: (db: Db) => Promise<void>;
  /** Called every `progressEvery` events with (events applied, total) (the simulator's progress bar). */
  onProgress?: (done: number, total: number) => Promise<void> | void;
  progressEvery?: number;
  /** Simulation only (the what-if simulator): the engine skips the writes no replay figure reads (Ctx.simulation). Same outcomes. */
  simulation?: boolean;
}

/** The replay's default database: in-memory PGlite with the migrations. */
export async function throwawayPglite(): Promise<Database & { pglite: PGlite }> {
  // A replay's errors are reported by the runner, not read at a call site: no stack captured per query.
  const database = await openPglite({ dataDir: "memory://", loadDataDir: await migratedSnapshot(), migrate: false, minimalErrors: true });
  // Nothing outlives the replay, so commits need not wait for their WAL record (one session: the SET lasts).
  await database.prisma.$executeRawUnsafe("SET synchronous_commit = off");
  // PGlite gathers no statistics (no autovacuum), and each statement is prepared once, its plan made on
  // nearly empty tables and kept as they grow: without sequential scans it takes the index paths.
  await database.prisma.$executeRawUnsafe("SET enable_seqscan = off");
  return database;
}

export async function runScenario(raw: unknown, opts: RunOptions = {}): Promise<ScenarioOutput> {
  const input = parseScenario(raw);
  const database = await (opts.open ?? throwawayPglite)();
  try {
    const out = await replay(database.prisma, input, opts);
    if (opts.inspect) await opts.inspect(database.prisma);
    return out;
  } finally {
    await database.close();
  }
}

async function replay(db: Db, input: ScenarioInput, opts: RunOptions): Promise<ScenarioOutput> {
  const config = input.config;
  const txOpts = { config, simulation: opts.simulation };
  const users = new Map<string, number>();
  const orders = new Map<string, number>();
  // What each order's payment collects (fixed when it is placed), so a "pay" event reads nothing first.
  const owed = new Map<number, { amountFen: number; currency: string }>();
  const first = input.events[0]?.time ?? new Date(0);

  await inTx(db, { ...txOpts, now: first }, async (ctx) => {
    await ctx.tx.mallConfig.upsert({ where: { id: "default" }, create: { data: config as object }, update: { data: config as object } });
    for (const category of new Set(input.products.map((p) => p.category))) {
      await ctx.tx.category.upsert({ where: { slug: category }, create: { slug: category, name: category }, update: {} });
    }
    for (const p of input.products) {
      // SPEC §10: a scenario product is a product with one SKU whose code is its `sku`.
      await createSimpleProduct(ctx.tx, { sku: p.sku, name: p.name ?? p.sku, priceFen: p.priceFen, category: p.category, stock: p.stock });
    }
    await ensureRecurringTransitions(ctx);
  });

  // Most events have nothing due before them: the replay knows the earliest pending due time (read
  // when each transition is claimed, lowered by what events and transitions schedule) and performs
  // transitions one at a time while it has come, so a sweep ends without a claim that finds nothing
  // (unless its row was retired meanwhile, e.g. a payment timeout by the payment: that claim reads the next).
  let nextDue = await earliestDue(db);
  let scheduledMin: Date | null = null;
  const scheduled = (dueAt: Date) => {
    if (scheduledMin === null || dueAt < scheduledMin) scheduledMin = dueAt;
  };
  const earlier = (a: Date | null, b: Date | null) => (a === null ? b : b === null || a <= b ? a : b);
  const every = opts.progressEvery ?? 500;
  for (const [i, ev] of input.events.entries()) {
    if (opts.onProgress && i % every === 0) await opts.onProgress(i, input.events.length);
    while (nextDue !== null && nextDue <= ev.time) {
      let performed: DueRow | undefined;
      let idle: { nextDueAt: Date | null } | undefined;
      scheduledMin = null;
      await runDueTransitions(db, ev.time, {
        ...txOpts, clock: "due", limit: 1, onScheduled: scheduled, onPerformed: (row) => (performed = row), onIdle: (nextDueAt) => (idle = { nextDueAt }),
      });
      // Nothing performed: nothing takeable now (the earliest row may be backing off after a failure).
      if (!performed) {
        nextDue = idle ? idle.nextDueAt : await earliestDue(db);
        break;
      }
      nextDue = earlier(performed.nextDueAt, scheduledMin);
    }
    scheduledMin = null;
    try {
      await inTx(db, { ...txOpts, now: ev.time, onScheduled: scheduled }, (ctx) => applyEvent(ctx, ev, users, orders, owed));
      nextDue = earlier(nextDue, scheduledMin);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // Refused by the rules: the transaction rolled back, nothing changed.
    }
  }
  const end = input.events.at(-1)?.time ?? first;
  await runDueTransitions(db, end, { ...txOpts, clock: "due" });
  return inTx(db, { ...txOpts, now: end }, (ctx) => collectOutput(ctx, users, orders));
}

async function applyEvent(ctx: Ctx, ev: ScenarioEvent, users: Map<string, number>, orders: Map<string, number>, owed: Map<number, { amountFen: number; currency: string }>) {
  const orderId = (name: string) => orders.get(name);
  switch (ev.type) {
    case "register": {
      const self = ev.sponsor === ev.user;
      const m = await registerMember(ctx, {
        username: ev.user,
        sponsorId: ev.sponsor && !self ? users.get(ev.sponsor)! : null,
        sponsorIsSelf: self,
        ip: ev.ip ?? null,
        ipAsGiven: true,
        device: ev.device ?? null,
      });
      users.set(ev.user, m.id);
      return;
    }
    case "order": {
      const o = await createOrder(ctx, { memberId: users.get(ev.user)!, orderNo: ev.order, lines: ev.lines, address: ev.address ?? null });
      orders.set(ev.order, o.id);
      owed.set(o.id, { amountFen: o.payableFen, currency: o.currency });
      return;
    }
    case "pay": {
      const id = orderId(ev.order);
      if (id === undefined) return;
      await confirmPayment(ctx, { orderId: id, provider: "scenario", providerTxnId: ev.order, ...owed.get(id)! });
      return;
    }
    case "deliver": {
      const id = orderId(ev.order);
      if (id === undefined) return;
      if (await shipOrder(ctx, id)) await confirmDelivery(ctx, id);
      return;
    }
    case "refund": {
      const id = orderId(ev.order);
      if (id !== undefined) await refundOrder(ctx, id);
      return;
    }
    case "review":
      await reviewMember(ctx, users.get(ev.user)!, ev.decision);
      return;
    case "advance":
      return;
  }
}

async function collectOutput(ctx: Ctx, users: Map<string, number>, orders: Map<string, number>): Promise<ScenarioOutput> {
  const nameOf = new Map([...users].map(([n, id]) => [id, n]));
  const orderName = new Map([...orders].map(([n, id]) => [id, n]));
  const ids = [...users.values()];
  // Tier at the final clock (the same function the nightly review runs).
  for (let i = 0; i < ids.length; i += 1_000) await recomputeTiers(ctx, ids.slice(i, i + 1_000));
  const held = await heldMembers(ctx, ids);

  const members = await ctx.tx.member.findMany({ where: { id: { in: ids } }, include: { seat: { include: { parent: true } }, wallet: true } });
  const out: ScenarioOutput = { users: {}, orders: {}, commissions: [], rebateTasks: [], riskEvents: [] };
  for (const m of [...members].sort((a, b) => cmp(a.username, b.username))) {
    const w = m.wallet;
    out.users[m.username] = {
      sponsor: m.sponsorId === null ? null : (nameOf.get(m.sponsorId) ?? null),
      seat: {
        parent: m.seat?.parent?.memberId != null ? (nameOf.get(m.seat.parent.memberId) ?? null) : null,
        level: m.seat?.level ?? 0,
        position: m.seat?.position ?? 0,
      },
      tier: m.tier,
      wallet: walletNumbers(w),
    };
  }

  const orderRows = await ctx.tx.order.findMany({ where: { id: { in: [...orders.values()] } } });
  for (const o of [...orderRows].sort((a, b) => cmp(orderName.get(a.id)!, orderName.get(b.id)!))) {
    out.orders[orderName.get(o.id)!] = { status: o.status, goodsFen: o.goodsFen };
  }

  const commissions = await ctx.tx.commission.findMany({ include: { order: { select: { memberId: true } } } });
  out.commissions = commissions
    .map((c) => ({
      order: orderName.get(c.orderId)!,
      beneficiary: nameOf.get(c.beneficiaryId)!,
      level: c.level,
      amountFen: c.amountFen,
      status: commissionDisplayStatus(c.status, held.has(c.order.memberId)),
    }))
    .sort((a, b) => cmp(a.order, b.order) || a.level - b.level);

  const tasks = await ctx.tx.rebateTask.findMany({ include: { assignments: { where: { removedAt: null }, orderBy: { id: "asc" } } } });
  out.rebateTasks = tasks
    .map((t) => ({
      user: nameOf.get(t.memberId)!,
      anchorOrder: orderName.get(t.anchorOrderId)!,
      status: taskDisplayStatus(t.status, held.has(t.memberId) || t.assignments.some((a) => held.has(a.inviteeId))),
      invitees: t.assignments.map((a) => nameOf.get(a.inviteeId)!),
      amountFen: taskAmountFen(t),
    }))
    .sort((a, b) => cmp(a.user, b.user) || cmp(a.anchorOrder, b.anchorOrder));

  const events = await ctx.tx.riskEvent.findMany({ orderBy: { id: "asc" } });
  out.riskEvents = events
    .map((e) => ({ rule: e.rule, users: e.memberIds.map((id) => nameOf.get(id)!).sort(cmp) }))
    .sort((a, b) => cmp(a.rule, b.rule) || cmpList(a.users, b.users));
  return out;
}

export type { ScenarioInput, MallConfig };
