// What a product page promises: "分享赚 ¥X" (the L1 commission the sharer would earn on one piece,
// SPEC §4, through the engine's own commissionAmount) and the cashback a buyer of one piece can earn
// with 推三返一 (SPEC §5, the engine's cashbackFor), from the rules in force or, while an experiment
// runs, the viewer's variant (server/experiments' rebateFor, as the order's task will be); none to a
// frozen viewer, whose orders open no task. Only a signed-in distributor is promised an amount: a visitor
// is no distributor (anyone could be reading a shared link), and the signed-out page is the page cache's copy.
import type { Db } from "../db";
import type { MallConfig } from "../config/schema";
import { getProduct, salesCounts } from "../catalog";
import { commissionAmount } from "../commission";
import { cashbackFor } from "../rebate";
import { tierConfig } from "../tiers";
import { applyBps } from "../money";
import { isDistributorAt, type MemberStatus } from "../distribution";
import { appNow } from "../clock/app-clock";
import { rebateFor, type RebateSettings } from "../experiments";

export interface SkuOffer {
  skuId: number;
  /** L1 commission on one piece; 0 when commissions are off. */
  shareEarnFen: number;
  /** 推三返一 cashback on one piece bought by the viewer (after their tier discount); 0 when the campaign is off, under minAnchorFen or the viewer is frozen. */
  cashbackFen: number;
}

/** The signed-in viewer of a product page, as sharer of it and as its buyer. */
export interface OfferViewer {
  /** Their tier: its commission bonus (SPEC §7 benefits) and its discount. */
  tier: string;
  /** A distributor now (SPEC §4): only a distributor earns 分享赚 commissions; it does not touch 推三返一. */
  distributor: boolean;
  /** Frozen: their commissions are forfeited and their new paid orders open no task (SPEC §5). */
  frozen: boolean;
  /** Distributor status suspended by staff (distributorDisabledAt): no payment gives it back. */
  suspended?: boolean;
}

/**
 * What the product page says about sharing it, besides the amount: `earn`, a distributor's 分享赚; `qualify`, a
 * member who is not a distributor yet and how they become one (SPEC §4 分销资格, the promotion centre's
 * wording); null: nothing (a visitor, commissions off, a frozen or suspended member).
 */
export type ShareStanding = { kind: "earn" } | { kind: "qualify"; mode: "first_order" } | { kind: "qualify"; mode: "spend"; minSpendFen: number } | null;

/** The columns of Member an offer reads (offerViewerOf). */
export const OFFER_VIEWER_SELECT = { tier: true, frozen: true, distributorSince: true, distributorDisabledAt: true, createdAt: true } as const;

/** A signed-in member as the offers see them now. */
export function offerViewerOf(config: MallConfig, m: MemberStatus & { tier: string; frozen: boolean }, now: Date): OfferViewer {
  return { tier: m.tier, distributor: isDistributorAt(config, m, now), frozen: m.frozen, suspended: m.distributorDisabledAt !== null };
}

export function shareStanding(config: MallConfig, viewer: OfferViewer | null): ShareStanding {
  if (!config.commission.enabled || !viewer || viewer.frozen) return null;
  if (viewer.distributor) return { kind: "earn" };
  if (viewer.suspended) return null;
  const mode = config.commission.distributorMode;
  if (mode === "first_order") return { kind: "qualify", mode };
  if (mode === "spend") return { kind: "qualify", mode, minSpendFen: config.commission.distributorMinSpendFen };
  return null;
}

/**
 * Per SKU. `viewer`: the signed-in viewer; null for a visitor. `rebate`: the 推三返一 settings the
 * viewer's order would follow (their experiment variant's).
 */
export function productOffer(
  config: MallConfig,
  product: { category: string; skus: { id: number; priceFen: number }[] },
  viewer: OfferViewer | null,
  rebate: RebateSettings = config.rebate,
): SkuOffer[] {
  const bonus = viewer ? (tierConfig(config, viewer.tier)?.benefits?.commissionBonusBps ?? 0) : 0;
  // A viewer whose commission would be FORFEITED is not promised one, nor is a visitor (not a distributor).
  const earns = shareStanding(config, viewer)?.kind === "earn";
  const r = rebate;
  const opensTask = r.enabled && !viewer?.frozen;
  // The viewer buying it: their tier's discount lowers the goods amount the cashback is reckoned on (as createOrder does).
  const discountBps = viewer ? (tierConfig(config, viewer.tier)?.benefits?.discountBps ?? 0) : 0;
  return product.skus.map((s) => {
    const goodsFen = s.priceFen - applyBps(s.priceFen, discountBps);
    return {
      skuId: s.id,
      shareEarnFen: earns ? commissionAmount({ config }, [{ goodsFen: s.priceFen, category: product.category }], 1, bonus) : 0,
      cashbackFen: opensTask && goodsFen >= r.minAnchorFen ? cashbackFor(goodsFen, r.percent, r.capFen) : 0,
    };
  });
}

/**
 * The product page's data: the product, its sales count (已售), the 推三返一 settings this viewer's order
 * would follow (a visitor: the rules in force; a frozen viewer, whose orders open no task: null), each
 * SKU's offer for this viewer and their share standing.
 */
export async function shopProduct(db: Db, config: MallConfig, productId: number, viewerId: number | null, now = appNow()) {
  const product = await getProduct(db, productId);
  if (!product) return null;
  const [sales, rebate, viewer] = await Promise.all([
    salesCounts(db, [product.id]),
    rebateFor(db, config, viewerId, now),
    viewerId
      ? db.member.findUnique({ where: { id: viewerId }, select: { ...OFFER_VIEWER_SELECT, id: true, referralCode: true } })
      : null,
  ]);
  const standing = viewer ? offerViewerOf(config, viewer, now) : null;
  return {
    product,
    salesCount: sales.get(product.id) ?? 0,
    rebate: viewer?.frozen ? null : rebate,
    offers: productOffer(config, product, standing, rebate),
    share: shareStanding(config, standing),
    /** The viewer's referral code, for the share sheet's link (null for a visitor). */
    shareCode: viewer?.referralCode ?? null,
  };
}
