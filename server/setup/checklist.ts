// 开店准备: what a merchant does on this software before taking real orders, each item done or not. Read on every view
// of the back office's home by the owner, so it is six small reads side by side (one row or an index probe each) and
// the deployment's settings (README, "Deploy to production"); it writes nothing and keeps no state of its own.
import type { Db } from "../db";
import { PAYMENT_PROVIDERS, SMS_PROVIDERS } from "../env";
import { DEFAULT_SHOP_NAME, getShopProfile, shopContactOf } from "../shop/profile";
import { LEGAL_KINDS } from "../legal/documents";
import { defaultProviderName, payoutProviderName } from "../payments/registry";
import { smsProviderName } from "../sms";
import { TWO_APPROVERS_FROM_FEN } from "../wallet/withdrawals";
import { AREA_ROLES, type StaffRole } from "../staff/roles";

/** Who sees the checklist: owner only (an empty list), as nearly every item is the owner's to do. */
export const SETUP_ROLES: readonly StaffRole[] = [];

export const SETUP_ITEMS = ["shopProfile", "legal", "products", "rules", "payments", "sms", "ownerTotp"] as const;
export type SetupItem = (typeof SETUP_ITEMS)[number];

export interface ShopSetup {
  done: Record<SetupItem, boolean>;
  doneCount: number;
  total: number;
  /** The providers in use now (setting names, not secrets): the page says what to change. */
  paymentProvider: string;
  payoutProvider: string;
  smsProvider: string;
  /** A suggestion, not counted: a second account that may approve withdrawals, from `fromFen` a day two must (SPEC §6). */
  secondReviewer: { done: boolean; fromFen: number };
}

// The sandbox moves no money and the outbox sends no SMS: everything else this build knows is a real vendor.
const REAL_PAYMENT = PAYMENT_PROVIDERS.filter((p) => p !== "sandbox") as readonly string[];
const REAL_SMS = SMS_PROVIDERS.filter((p) => p !== "outbox") as readonly string[];
/** Withdrawal approvers: the owner and the roles of the withdrawals area. */
const REVIEWER_ROLES: StaffRole[] = ["owner", ...AREA_ROLES.withdrawals];

export async function shopSetup(db: Db): Promise<ShopSetup> {
  const [profile, legalNewest, sellable, ownRules, reviewers] = await Promise.all([
    getShopProfile(db),
    Promise.all(LEGAL_KINDS.map((kind) => db.legalDocumentVersion.findFirst({ where: { kind }, orderBy: { version: "desc" }, select: { customZh: true } }))),
    db.sku.findFirst({ where: { active: true, stock: { gt: 0 }, product: { active: true } }, select: { id: true } }),
    // Version 1 (taken over from before versioning) and the e2e test hook have no author.
    db.ruleVersion.findFirst({ where: { authorStaffId: { not: null } }, select: { id: true } }),
    db.staffAccount.findMany({ where: { disabledAt: null, role: { in: REVIEWER_ROLES } }, select: { role: true, totpEnabledAt: true } }),
  ]);
  const contact = shopContactOf(profile) !== null;
  // PIPL 第十七条: a merchant's own Chinese (binding) text is theirs to word; the default (or its regeneration, made at
  // every 店铺资料 save that changes it, also beside the merchant's English alone) names the handler only once the
  // operator is set, else just the shop's name.
  const legal = legalNewest.every((row) => row?.customZh === true || Boolean(profile.operatorName));
  const owners = reviewers.filter((s) => s.role === "owner");
  const paymentProvider = defaultProviderName();
  const payoutProvider = payoutProviderName();
  const smsProvider = smsProviderName();
  const done: Record<SetupItem, boolean> = {
    shopProfile: profile.name !== DEFAULT_SHOP_NAME && Boolean(profile.operatorName) && contact,
    legal,
    products: sellable !== null,
    rules: ownRules !== null,
    payments: REAL_PAYMENT.includes(paymentProvider) && REAL_PAYMENT.includes(payoutProvider),
    sms: REAL_SMS.includes(smsProvider),
    // Every enabled owner: an owner whose TOTP another owner reset has not enrolled again yet.
    ownerTotp: owners.length > 0 && owners.every((s) => s.totpEnabledAt !== null),
  };
  return {
    done,
    doneCount: SETUP_ITEMS.filter((i) => done[i]).length,
    total: SETUP_ITEMS.length,
    paymentProvider,
    payoutProvider,
    smsProvider,
    secondReviewer: { done: reviewers.length >= 2, fromFen: TWO_APPROVERS_FROM_FEN },
  };
}
