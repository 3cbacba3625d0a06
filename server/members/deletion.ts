// 注销账号: the shopper deletes their own account (PIPL 个人信息保护法 第四十七条).
//
// Who: the signed-in shopper, for their own account, with a fresh SMS code to the phone on the account in the
// same request (confirmAccountDeletion checks and consumes it with server/auth/otp verifyOtpCode(db, "deletion", …):
// only a code sent for deletion confirms one, never a sign-in code).
//
// Refused while money or goods are still moving (SPEC §1, §6, §8), one code and message per reason:
// an unpaid order (pay or cancel it first), a paid order not yet COMPLETED (shipping or within the return
// window), an open after-sales request, a withdrawal in review or being paid out, an available balance > 0
// (withdraw it first), or an account frozen for risk review.
//
// Forfeited (the shopper ticks that they accept it; the request carries the amounts the page showed, and deletion is
// refused with FORFEIT_CHANGED when they differ from what it would forfeit under its locks): commissions not yet
// settled (PENDING / CONFIRMED) become VOID and the 推三返一 tasks they anchor that have not paid (OPEN / MET /
// CONFIRMED) are voided through voidAnchorTask; their pending money and any store credit go back to the merchant by
// ledger postings, never by editing a balance.
//
// What deletion does, in one transaction, and a second time nothing: the phone (hash, ciphertext, mask), display
// name (→ 已注销用户), avatar, real name and ID number, sign-up IP and device are erased; the username and the
// referral code are replaced by ones no lookup can match (the old share links bind nobody any more); addresses and
// cart lines are deleted; every order's address is masked and its fingerprint keyed (maskAddressesOfDeletedMember:
// none is in progress, see the refusals); the uploads no refund request shows (the avatar's picture, photos never
// sent) are deleted, their files once the deletion has committed; WeChat / Alipay identities unlinked; the phone's
// SMS code records, the in-app notifications and their WeChat messages (sent, or queued: those never go out) are
// deleted; every session ends (session version); the account is frozen (SPEC §8: it earns nothing new — its downline's later orders forfeit its level — and
// withdraws nothing); `deletedAt` is set and an audit entry written without personal data. From then on it places no
// order (createOrder refuses ACCOUNT_DELETED, also to a checkout that passed authentication before the deletion).
//
// Kept, for accounting and tax (the privacy policy's 3 years, 电子商务法 第三十一条, SPEC §6's immutable ledger): the
// member row, its orders (addresses masked), ledger, commission and after-sales records (photos included), its
// consent records (proof of consent) and risk evidence, and its place in the sponsor tree and the matrix — its
// downline stays where it is and its uplines keep what they earned. The same phone may later sign up as a new member: its lookup hash is
// gone, so sign-in finds no member and registers one, bound to nobody unless a share link says so. As risk evidence
// the phone is kept for a year as a tombstone (PhoneTombstone: an HMAC under a key of its own, which matches the
// phone again and nothing else): signing up again within it is a returning_phone risk event (recordReturningPhone).
import { createHmac } from "node:crypto";
import type { Db } from "../db";
import type { Ctx } from "../context";
import { inTx, refuse } from "../context";
import { decryptField, lookupHash } from "../auth/crypto";
import { DAY } from "../clock/time";
import { recordRiskEvent } from "../risk/flags";
import { sendOtpCode, verifyOtpCode } from "../auth/otp";
import { otpRefusal } from "../auth/otp-refusal";
import { fromMerchant } from "../wallet/ledger";
import { voidCommissionsOfBeneficiary } from "../commission";
import { voidAnchorTask } from "../rebate";
import { setFrozen } from "./status-history";
import { DELETED_MEMBER_NAME } from "./profile";
import { maskAddressesOfDeletedMember } from "../orders/address-privacy";
import { deleteUploadsOfDeletedMember, removeUnusedPictures } from "../aftersales/uploads";
import { getStorage, type ObjectStorage } from "../storage";

/** Why the account cannot be deleted yet; each is an `error.<code>` key in the account messages. */
export type DeletionBlocker =
  | "UNPAID_ORDER"
  | "OPEN_AFTERSALE"
  | "OPEN_ORDER"
  | "WITHDRAWAL_IN_PROGRESS"
  | "BALANCE_AVAILABLE"
  | "ACCOUNT_FROZEN";

/** The Chinese refusal of each blocker (the page words the same reasons through its i18n keys). */
export const DELETION_BLOCKER_MESSAGE: Record<DeletionBlocker, string> = {
  UNPAID_ORDER: "你有待付款的订单，请先付款或取消后再注销",
  OPEN_ORDER: "你有尚未完成的订单（待发货、配送中或在退货期内），请在订单完成后再注销",
  OPEN_AFTERSALE: "你有处理中的售后申请，请在处理完成后再注销",
  WITHDRAWAL_IN_PROGRESS: "你有审核中或打款中的提现，请在到账后再注销",
  BALANCE_AVAILABLE: "你的钱包还有可提现余额，请先提现再注销",
  ACCOUNT_FROZEN: "账号已冻结（风控审核中），暂时不能注销，请联系客服",
};

/** The refusal when money would be forfeited and the shopper has not ticked that they accept it. */
export const FORFEIT_NOT_ACCEPTED = "注销将放弃尚未到账的佣金、返现和商城余额，请勾选确认后再提交";

/** The refusal when what deletion would forfeit is no longer what the page showed the shopper. */
export const FORFEIT_CHANGED = "注销将放弃的收益已变化，请核对新的金额后重新确认";

/** What deletion forfeits, in fen: unsettled commissions, unpaid 推三返一 cashback, store credit. */
export interface ForfeitTotals {
  commissionFen: number;
  cashbackFen: number;
  creditFen: number;
}

/** The shopper's consent: the forfeit totals the page showed them, and whether they ticked that they accept them. */
export interface ForfeitConsent {
  acceptForfeit: boolean;
  shown: ForfeitTotals;
}

/** FORFEIT_CHANGED when the totals differ from those shown, else FORFEIT_NOT_ACCEPTED when there are any and they were not accepted. */
function checkForfeitConsent(forfeit: ForfeitTotals, consent: ForfeitConsent) {
  const { commissionFen, cashbackFen, creditFen } = forfeit;
  const { shown } = consent;
  if (shown.commissionFen !== commissionFen || shown.cashbackFen !== cashbackFen || shown.creditFen !== creditFen) refuse("FORFEIT_CHANGED", FORFEIT_CHANGED);
  if (commissionFen + cashbackFen + creditFen > 0 && !consent.acceptForfeit) refuse("FORFEIT_NOT_ACCEPTED", FORFEIT_NOT_ACCEPTED);
}

export interface DeletionPreview {
  deleted: boolean;
  blockers: DeletionBlocker[];
  availableFen: number;
  /** The member's 推三返一 tasks still running or unpaid (OPEN, MET, CONFIRMED): deletion closes them. */
  openTasks: number;
  /** What deletion forfeits: unsettled commissions, unpaid 推三返一 cashback, store credit. */
  forfeit: ForfeitTotals;
}

/** How long a deleted account's phone is kept as risk evidence (README, 注销账号). */
export const PHONE_TOMBSTONE_KEEP_MS = 365 * DAY;

/** A phone's tombstone key: an HMAC of its lookup hash under a key used for nothing else. */
function phoneTombstoneKey(phoneHash: string): string {
  // The key is the lookup HMAC of a label no phone can be: secret like the lookup key, and distinct from it.
  return createHmac("sha256", lookupHash("fm:phone-tombstone:v1")).update(phoneHash).digest("hex");
}

/** Forgets the tombstones past their year. */
async function purgePhoneTombstones(ctx: Pick<Ctx, "tx" | "now">) {
  await ctx.tx.phoneTombstone.deleteMany({ where: { deletedAt: { lt: new Date(ctx.now.getTime() - PHONE_TOMBSTONE_KEEP_MS) } } });
}

/**
 * SPEC §8 returning_phone: a member just registered with a phone whose account was deleted within the year. They are
 * no new shopper (SPEC §5): bound to a sponsor, they are flagged, so as an invitee they hold the sponsor's task until a
 * reviewer decides; bound to nobody they can never be an invitee, and the event is evidence only, flagging nobody.
 */
export async function recordReturningPhone(ctx: Ctx, member: { id: number; sponsorId: number | null }, phoneHash: string) {
  await purgePhoneTombstones(ctx);
  const tombstones = await ctx.tx.phoneTombstone.findMany({ where: { phoneKey: phoneTombstoneKey(phoneHash) }, orderBy: { id: "asc" } });
  if (!tombstones.length) return;
  const deletedMembers = tombstones.map((t) => t.memberId);
  const previous = new Map((await ctx.tx.member.findMany({ where: { id: { in: deletedMembers } }, select: { id: true, sponsorId: true } })).map((m) => [m.id, m.sponsorId]));
  const sponsor = member.sponsorId === null ? [] : [member.sponsorId];
  await recordRiskEvent(ctx, "returning_phone", [member.id, ...sponsor, ...deletedMembers], member.sponsorId === null ? [] : [member.id], {
    deletedMembers,
    deletedAt: tombstones.map((t) => t.deletedAt.toISOString()),
    previousSponsors: deletedMembers.map((id) => previous.get(id) ?? null),
  });
}

/** Unsettled commissions the member would earn (SPEC §4: PENDING, CONFIRMED; a hold is not a status). */
const UNSETTLED_COMMISSION = ["PENDING", "CONFIRMED"] as const;
/** Tasks the member anchors that have not paid or ended (SPEC §5); only MET and CONFIRMED hold cashback in pending. */
const UNPAID_TASK = ["OPEN", "MET", "CONFIRMED"] as const;

/** What the deletion page shows: the reasons it is refused now, the balance to withdraw first, and what would be forfeited. */
export async function deletionPreview(ctx: Pick<Ctx, "tx">, memberId: number): Promise<DeletionPreview> {
  const [member, orders, aftersales, withdrawals, wallet, commissions, tasks, openTasks] = await Promise.all([
    ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { frozen: true, deletedAt: true } }),
    ctx.tx.order.groupBy({ by: ["status"], where: { memberId, status: { in: ["PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED"] } }, _count: { _all: true } }),
    ctx.tx.refundRequest.count({ where: { memberId, status: "PENDING" } }),
    ctx.tx.withdrawal.count({ where: { memberId, status: { in: ["PENDING_REVIEW", "APPROVED", "PAYING"] } } }),
    ctx.tx.wallet.findUnique({ where: { memberId }, select: { available: true, credit: true } }),
    ctx.tx.commission.aggregate({ where: { beneficiaryId: memberId, status: { in: [...UNSETTLED_COMMISSION] } }, _sum: { amountFen: true } }),
    ctx.tx.rebateTask.aggregate({ where: { memberId, status: { in: ["MET", "CONFIRMED"] } }, _sum: { cashbackFen: true } }),
    ctx.tx.rebateTask.count({ where: { memberId, status: { in: [...UNPAID_TASK] } } }),
  ]);
  const blockers: DeletionBlocker[] = [];
  if (orders.some((o) => o.status === "PENDING_PAYMENT")) blockers.push("UNPAID_ORDER");
  // An open request also holds its order's completion: the more specific reason first.
  if (aftersales > 0) blockers.push("OPEN_AFTERSALE");
  if (orders.some((o) => o.status !== "PENDING_PAYMENT")) blockers.push("OPEN_ORDER");
  if (withdrawals > 0) blockers.push("WITHDRAWAL_IN_PROGRESS");
  if ((wallet?.available ?? 0) > 0) blockers.push("BALANCE_AVAILABLE");
  if (member.frozen && !member.deletedAt) blockers.push("ACCOUNT_FROZEN");
  return {
    deleted: member.deletedAt !== null,
    blockers: member.deletedAt ? [] : blockers,
    availableFen: Number(wallet?.available ?? 0),
    openTasks,
    forfeit: { commissionFen: commissions._sum.amountFen ?? 0, cashbackFen: tasks._sum.cashbackFen ?? 0, creditFen: Number(wallet?.credit ?? 0) },
  };
}

/** The phone on the account, which the confirmation code goes to; an account without one is deleted by customer service. */
async function ownPhone(db: Db, memberId: number): Promise<string> {
  const m = await db.member.findUniqueOrThrow({ where: { id: memberId }, select: { phoneEnc: true, deletedAt: true } });
  if (m.deletedAt) refuse("ACCOUNT_DELETED", "账号已注销");
  if (!m.phoneEnc) refuse("NO_PHONE", "账号未绑定手机号，请联系客服注销");
  return decryptField(m.phoneEnc);
}

/** Sends the confirmation code to the account's own phone: a deletion code, under the sign-in code's limits (server/auth/otp.ts). */
export async function sendDeletionCode(db: Db, memberId: number, clientIp: string | null) {
  const phone = await ownPhone(db, memberId);
  return sendOtpCode(db, "deletion", phone, clientIp).catch(otpRefusal);
}

/**
 * 确认注销: the refusals first (so a blocked request spends no code), then the code sent to the account's phone,
 * checked and consumed as at sign-in, then deleteMemberAccount, which checks the refusals again under its locks;
 * once it has committed, the files of the uploads it deleted go from `storage`.
 * `clientIp`: the caller's, so its wrong codes count toward its network's limits as at sign-in.
 */
export async function confirmAccountDeletion(
  db: Db,
  memberId: number,
  input: { code: string } & ForfeitConsent,
  now: Date,
  clientIp: string | null = null,
  storage: ObjectStorage = getStorage(),
) {
  const preview = await deletionPreview({ tx: db }, memberId);
  if (preview.deleted) return { deleted: false };
  const blocker = preview.blockers[0];
  if (blocker) refuse(blocker, DELETION_BLOCKER_MESSAGE[blocker]);
  checkForfeitConsent(preview.forfeit, input);
  const phone = await ownPhone(db, memberId);
  // On the real clock, as the code was sent and as sign-in checks it (`now` may be a test clock moved ahead).
  await verifyOtpCode(db, "deletion", phone, input.code, new Date(), clientIp).catch(otpRefusal);
  const { deleted, pictures } = await inTx(db, { now }, (ctx) => eraseAccount(ctx, memberId, { acceptForfeit: input.acceptForfeit, shown: input.shown }));
  // The account is deleted whatever the disk says; a file left behind is logged for removal by hand.
  await removeUnusedPictures(db, storage, pictures).catch(() => console.error(`[alert] account deletion of member ${memberId}: the files of ${pictures.length} deleted uploads were not all removed`));
  return { deleted };
}

/**
 * Deletes the member's account (see the file's comment). `consent.shown`: the forfeit totals the shopper was shown,
 * which must be what deletion forfeits now; `consent.acceptForfeit`: they ticked that unsettled commissions, unpaid
 * cashback and store credit are forfeited, required only when there is any. Returns `{ deleted: false }` for an
 * account already deleted, and changes nothing then. The files of the uploads it deletes stay: confirmAccountDeletion
 * removes them after commit.
 */
export async function deleteMemberAccount(ctx: Ctx, memberId: number, consent: ForfeitConsent): Promise<{ deleted: boolean }> {
  const { deleted } = await eraseAccount(ctx, memberId, consent);
  return { deleted };
}

/** deleteMemberAccount, with the pictures of the uploads it deleted, whose files go once it has committed. */
async function eraseAccount(ctx: Ctx, memberId: number, consent: ForfeitConsent): Promise<{ deleted: boolean; pictures: string[] }> {
  // The member first, as a payment locks it; a concurrent request waits and then finds it deleted.
  const [locked] = await ctx.tx.$queryRaw<{ deletedAt: Date | null; phoneHash: string | null }[]>`
    SELECT "deletedAt", "phoneHash" FROM "Member" WHERE id = ${memberId} FOR UPDATE`;
  if (!locked) refuse("MEMBER_NOT_FOUND", "账号不存在");
  if (locked.deletedAt) return { deleted: false, pictures: [] };
  // Its unsettled commissions before its wallet, as the T+1 settlement takes them (the wallet first deadlocked with it).
  await ctx.tx.$queryRaw`SELECT id FROM "Commission" WHERE "beneficiaryId" = ${memberId} AND status IN ('PENDING', 'CONFIRMED') ORDER BY id FOR UPDATE`;
  await ctx.tx.$queryRaw`SELECT 1 FROM "Wallet" WHERE "memberId" = ${memberId} FOR NO KEY UPDATE`;

  const preview = await deletionPreview(ctx, memberId);
  const blocker = preview.blockers[0];
  if (blocker) refuse(blocker, DELETION_BLOCKER_MESSAGE[blocker]);
  checkForfeitConsent(preview.forfeit, consent);
  const { commissionFen, cashbackFen, creditFen } = preview.forfeit;

  await voidCommissionsOfBeneficiary(ctx, memberId, "account deleted");
  const tasks = await ctx.tx.rebateTask.findMany({ where: { memberId, status: { in: [...UNPAID_TASK] } }, select: { anchorOrderId: true }, orderBy: { id: "asc" } });
  for (const t of tasks) await voidAnchorTask(ctx, t.anchorOrderId, "account deleted", [...UNPAID_TASK]);
  if (creditFen > 0) await fromMerchant(ctx, `member:${memberId}:deleted:credit`, "credit_forfeit", "merchant:credit_redeemed", memberId, "credit", -creditFen);

  await setFrozen(ctx, memberId, true);
  await ctx.tx.member.update({
    where: { id: memberId },
    data: {
      // Lower case and a hyphen: never what sign-up's username or normaliseCode (upper-case 6 characters) produce.
      username: `deleted-${memberId}`,
      referralCode: `deleted-${memberId}`,
      nickname: DELETED_MEMBER_NAME,
      avatarUrl: null,
      phoneHash: null,
      phoneEnc: null,
      phoneMasked: null,
      realNameEnc: null,
      realNameMasked: null,
      idNumberEnc: null,
      idNumberMasked: null,
      // Frees the ID number: the person may verify another account later (server/wallet/identity.ts).
      idNumberHash: null,
      verifiedAt: null,
      signupIp: null,
      signupIpKey: null,
      signupDevice: null,
      sessionVersion: { increment: 1 },
      deletedAt: ctx.now,
    },
  });
  const [addresses, identities] = await Promise.all([
    ctx.tx.address.deleteMany({ where: { memberId } }),
    ctx.tx.externalAccount.deleteMany({ where: { memberId } }),
    ctx.tx.cartItem.deleteMany({ where: { memberId } }),
    // The codes are counted by the phone's lookup hash, which the member row no longer holds.
    locked.phoneHash ? ctx.tx.otpCode.deleteMany({ where: { phoneHash: locked.phoneHash } }) : null,
    // Each WeChat message by its notification (the unique key's index), sent or queued: a queued one never goes out.
    ctx.tx.$executeRaw`WITH n AS (DELETE FROM "Notification" WHERE "memberId" = ${memberId} RETURNING id)
      DELETE FROM "ChannelMessage" WHERE "notificationId" IN (SELECT id FROM n)`,
  ]);
  const maskedOrders = await maskAddressesOfDeletedMember(ctx, memberId);
  const pictures = await deleteUploadsOfDeletedMember(ctx.tx, memberId);
  if (locked.phoneHash) {
    await purgePhoneTombstones(ctx);
    await ctx.tx.phoneTombstone.create({ data: { phoneKey: phoneTombstoneKey(locked.phoneHash), memberId, deletedAt: ctx.now } });
  }
  await ctx.tx.auditLog.create({
    data: {
      actorType: "member",
      actorId: memberId,
      action: "member.deleted",
      target: `member:${memberId}`,
      // Counts and amounts only: nothing that names or reaches the person.
      data: { addresses: addresses.count, identities: identities.count, maskedOrders, uploads: pictures.length, forfeitedCommissionFen: commissionFen, forfeitedCashbackFen: cashbackFen, forfeitedCreditFen: creditFen },
      createdAt: ctx.now,
    },
  });
  return { deleted: true, pictures };
}
