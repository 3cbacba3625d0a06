// A paid order in the matrix commission tree (SPEC §3, §4 `commission.tree = "matrix"`) costs no more SQL
// statements than in the sponsor tree: the L1..L3 matrix ancestors are read with their members in one
// statement, as the sponsor tree's are, and the walk that stores an earlier `everyone` period's distributor
// status for them (updateDistributorOnPayment) is part of that status update. Walking up the seats one
// read per level, then reading the members, cost up to four more statements per payment, and as many again
// where the status is stored. The same network in both trees (each member's sponsor is also the seat above
// them), so the outcomes, and the statements, are the same. Counted by the client's query log.
import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient, postgresAdapter, type Database } from "../../server/db";
import type { PGlite } from "@electric-sql/pglite";
import { StrictPGlite } from "../../server/db/pglite-adapter";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { DAY } from "../../server/clock/time";
import { freshPglite, freshPostgres, usingPostgres } from "../helpers/db";
import { teaShop } from "../helpers/shop";

type Tree = MallConfig["commission"]["tree"];
type Mode = MallConfig["commission"]["distributorMode"];

const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const rules = (tree: Tree, mode: Mode): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, tree, distributorMode: mode } });

let opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.reverse()) await o.close();
  opened = [];
});

/** A fresh database and a client on it counting every SQL statement it sends. */
async function countingDatabase() {
  const database = usingPostgres() ? await freshPostgres() : ((await freshPglite()) as Database & { pglite: PGlite });
  const adapter = "url" in database ? postgresAdapter({ connectionString: database.url, max: 2 }) : new StrictPGlite(database.pglite);
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  const counter = { statements: 0 };
  prisma.$on("query", () => counter.statements++);
  opened.push(database, { close: () => prisma.$disconnect() });
  return { db: prisma as PrismaClient, counter };
}

/**
 * a → b → c → d, each sponsoring the next, and e with no sponsor: a and e take the matrix root's first two seats,
 * b, c and d each the first seat under their sponsor's, so in both trees d's L1..L3 are c, b, a and e has none.
 * `history`: the members sign up under first_order, `everyone` is in force a day, then first_order again: at
 * a payment their status from that day is stored (sponsor tree or matrix) before the commissions read it.
 * Returns the statements of e's first payment, d's first payment and d's repeat payment, and the commissions.
 */
async function payments(tree: Tree, history: boolean) {
  const { db, counter } = await countingDatabase();
  await teaShop(db);
  if (history) await saveRules(db, null, { config: rules(tree, "first_order"), reason: "首单分销" }, t0);
  else await db.mallConfig.create({ data: { data: rules(tree, "everyone") as object } });
  const member = async (username: string, sponsorId: number | null) => (await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username, sponsorId }))).id;
  const a = await member("a", null);
  const e = await member("e", null);
  const b = await member("b", a);
  const c = await member("c", b);
  const d = await member("d", c);
  if (history) {
    await saveRules(db, null, { config: rules(tree, "everyone"), reason: "人人分销" }, at(1));
    await saveRules(db, null, { config: rules(tree, "first_order"), reason: "首单分销，再次" }, at(2));
  }
  const pay = async (memberId: number, now: Date) => {
    const o = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
    const before = counter.statements;
    const r = await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    expect(r).toEqual({ outcome: "paid" });
    return { orderId: o.id, statements: counter.statements - before };
  };
  // c's own first order opens the 推三返一 task d's first order then counts for.
  await pay(c, at(3));
  const first = await pay(e, at(3));
  const invitee = await pay(d, at(3));
  const repeat = await pay(d, at(4));
  const names = new Map([[a, "a"], [b, "b"], [c, "c"], [d, "d"], [e, "e"]]);
  const commissions = await db.commission.findMany({ orderBy: [{ orderId: "asc" }, { level: "asc" }], select: { orderId: true, beneficiaryId: true, level: true, amountFen: true, status: true } });
  const byOrder = (orderId: number) => commissions.filter((x) => x.orderId === orderId).map((x) => `${names.get(x.beneficiaryId)} L${x.level} ${x.amountFen} ${x.status}`);
  const rebate = await db.rebateAssignment.findMany({ select: { inviteeId: true } });
  return {
    statements: { first: first.statements, invitee: invitee.statements, repeat: repeat.statements },
    commissions: { first: byOrder(first.orderId), invitee: byOrder(invitee.orderId), repeat: byOrder(repeat.orderId) },
    invitees: rebate.map((r) => names.get(r.inviteeId)),
  };
}

// d's order of 100 元: L1 10%, L2 5%, L3 2% (SPEC §4 default rates), all earned; e's earns nobody anything.
const earned = ["c L1 1000 PENDING", "b L2 500 PENDING", "a L3 200 PENDING"];

describe("statements of a confirmed payment, matrix tree against sponsor tree", () => {
  for (const history of [false, true]) {
    it(history ? "first_order after an `everyone` period: the status stored for the buyer and the matrix ancestors in the same statement" : "everyone", async () => {
      const sponsor = await payments("sponsor", history);
      const matrix = await payments("matrix", history);
      for (const run of [sponsor, matrix]) {
        expect(run.commissions).toEqual({ first: [], invitee: earned, repeat: earned });
        expect(run.invitees).toEqual(["d"]);
      }
      expect(matrix.statements).toEqual(sponsor.statements);
    });
  }
});
