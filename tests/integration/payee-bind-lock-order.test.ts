// 绑定支付宝 while staff reject the member's pending withdrawal: one lock order for the Withdrawal and Wallet rows, no
// deadlock. A rejection (and a payout's result) locks the withdrawal, then the wallet (the money goes back); the bind
// locked the wallet, then the member's open withdrawals, so each could hold what the other waited for and PostgreSQL
// aborted one (inTx retried it). Helper transactions hold rows so the steps queue in a known order; every deadlock a
// transaction met is counted, retried or not. Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments/registry";
import type { PaymentProvider } from "../../server/payments/provider";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { fromMerchant } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { bindAlipayAccount, sendPayeeCode } from "../../server/wallet/payee";
import { rejectWithdrawal, requestWithdrawal } from "../../server/wallet/withdrawals";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { heldOpen, hold, queued, recordingAborts } from "../helpers/races";

/** A payout provider paying Alipay logins, under a name of this file's own (the real "alipay" stays unregistered for other files). */
const PROVIDER = "alipay-bind-lock-order";
registerProvider({ name: PROVIDER, payeePlatform: { platform: "alipay", appId: "lock-order" } } as unknown as PaymentProvider);

const PHONE = "13600007701";

describe.runIf(usingPostgres())("binding Alipay and a withdrawal's rejection lock rows in one order", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  let aborted: string[];
  let member: number;
  let staffId: number;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, {}, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    aborted = [];
    db = recordingAborts(database.prisma, aborted);
    staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "财务", role: "finance", passwordHash: "-", createdAt: new Date() } })).id;
    member = (await run((ctx) => registerMember(ctx, { username: "payee", phone: phoneFields(PHONE) }))).id;
    // 10 000 元 available, no withdrawal fee (the default settings).
    await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 1_000_000));
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: "11010519491231002X" }));
  });
  afterEach(() => database.close());

  /** 绑定支付宝 as the wallet does it: a payee code sent to the member's phone (read from the outbox), then the login with it. */
  async function bind(account: string) {
    await sendPayeeCode(db, member, null, PROVIDER);
    const { body } = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(PHONE) }, orderBy: { id: "desc" } });
    return () => bindAlipayAccount(db, member, { account, code: /(\d{6})/.exec(body)![1]! }, new Date(), PROVIDER);
  }

  it("staff reject a pending withdrawal while the member binds: the rejection and then the bind, neither aborted", async () => {
    // 3 000 元: above the 2 000 元 of automatic approval, it waits for review.
    const w = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    expect(w.status).toBe("PENDING_REVIEW");
    const binding = await bind("13800138000");
    // The rejection queues behind a helper holding the withdrawal, then the bind: the rejection takes the row first and
    // then needs the wallet, which a bind locking the wallet before the withdrawals would hold while waiting for the row.
    const held = hold(database.prisma, `SELECT id FROM "Withdrawal" WHERE id = $1 FOR UPDATE`, w.id);
    await held.locked;
    const rejected = run((ctx) => rejectWithdrawal(ctx, w.id, { staffId }, "信息有误"));
    await queued(database.prisma, 1, rejected);
    const bound = binding();
    await queued(database.prisma, 2, bound);
    held.release();
    const [, , account] = await Promise.all([held.held, rejected, bound]);
    expect(aborted).toEqual([]);
    expect(account).toEqual({ account: "138****8000" });
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: "REJECTED", failReason: "信息有误" });
    // The 3 000 元 back in available.
    expect(Number((await database.prisma.wallet.findUniqueOrThrow({ where: { memberId: member } })).available)).toBe(1_000_000);
  });

  it("a request auto-approved while the bind waits for the wallet: the bind sees it and refuses, the payout keeps its payee", async () => {
    const binding = await bind("13800138001");
    // 1 000 元: approved at once; its transaction holds the wallet until released.
    const request = heldOpen(run, (ctx) => requestWithdrawal(ctx, member, 100_000));
    await request.reached;
    const bound = binding();
    await queued(database.prisma, 1, bound);
    request.release();
    await request.done;
    await expect(bound).rejects.toMatchObject({ code: "PAYOUT_IN_PROGRESS" });
    expect(aborted).toEqual([]);
    expect(await database.prisma.externalAccount.count({ where: { memberId: member } })).toBe(0);
  });

  it("a request that appeared while the bind waited for the wallet, rejected meanwhile: the bind refuses at once, no deadlock", async () => {
    const binding = await bind("13800138002");
    // 3 000 元: it waits for review; its transaction holds the wallet (and its new row) until released.
    const request = heldOpen(run, (ctx) => requestWithdrawal(ctx, member, 300_000));
    await request.reached;
    // A helper queues for the wallet first, the bind behind it: the bind reads no open withdrawal yet.
    const wallet = hold(database.prisma, `SELECT "memberId" FROM "Wallet" WHERE "memberId" = $1 FOR UPDATE`, member);
    await queued(database.prisma, 1, wallet.held);
    const bound = binding();
    await queued(database.prisma, 2, bound);
    request.release();
    await request.done;
    await wallet.locked;
    // The rejection takes the new row, then waits for the wallet behind the bind.
    const w = await database.prisma.withdrawal.findFirstOrThrow({ where: { memberId: member } });
    const rejected = run((ctx) => rejectWithdrawal(ctx, w.id, { staffId }, "信息有误"));
    await queued(database.prisma, 2, rejected);
    // Whichever PostgreSQL wakes first: the bind, seeing the new row held by the rejection, refuses at once (NOWAIT) as the
    // wallet busy (nothing is being paid); or the rejection commits first and the bind, finding no open withdrawal, binds.
    // Never a deadlock.
    wallet.release();
    const outcome = await bound.then(
      () => "bound" as const,
      (e: unknown) => (e as { code?: string }).code,
    );
    await Promise.all([wallet.held, rejected]);
    expect(aborted).toEqual([]);
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: "REJECTED" });
    expect(["WALLET_BUSY", "bound"]).toContain(outcome);
    expect(await database.prisma.externalAccount.count({ where: { memberId: member } })).toBe(outcome === "bound" ? 1 : 0);
  });

  it("the new request's row held when the bind gets the wallet (as a rejection holds it): WALLET_BUSY, not PAYOUT_IN_PROGRESS", async () => {
    const binding = await bind("13800138003");
    // 3 000 元: it waits for review; its transaction holds the wallet (and its new row) until released.
    const request = heldOpen(run, (ctx) => requestWithdrawal(ctx, member, 300_000));
    await request.reached;
    // A helper queues for the wallet first, the bind behind it: the bind reads no open withdrawal yet.
    const wallet = hold(database.prisma, `SELECT "memberId" FROM "Wallet" WHERE "memberId" = $1 FOR UPDATE`, member);
    await queued(database.prisma, 1, wallet.held);
    const bound = binding();
    await queued(database.prisma, 2, bound);
    request.release();
    await request.done;
    await wallet.locked;
    // The new row taken as a rejection takes it (the row before the wallet), before the bind can have the wallet.
    const w = await database.prisma.withdrawal.findFirstOrThrow({ where: { memberId: member } });
    const row = hold(database.prisma, `SELECT id FROM "Withdrawal" WHERE id = $1 FOR UPDATE`, w.id);
    await row.locked;
    wallet.release();
    await expect(bound).rejects.toMatchObject({ code: "WALLET_BUSY", message: "钱包正在处理中，请稍后重试" });
    row.release();
    await Promise.all([wallet.held, row.held]);
    expect(aborted).toEqual([]);
    // Nothing was being paid: the request still awaits review, and no login is bound.
    expect(await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: "PENDING_REVIEW" });
    expect(await database.prisma.externalAccount.count({ where: { memberId: member } })).toBe(0);
  });
});
