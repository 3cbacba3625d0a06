import type { Db } from "../../server/db";
import { inTx } from "../../server/context";
import type { MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import type { ShopProfileInput, ShopProfileValues } from "../../server/shop/schema";
import type { staffCaller } from "./caller";

/** A shop with the given rules stored, one tea (sku "tea", 50 in stock) at `priceFen`, and member alice: her id. */
export async function teaShopWithAlice(db: Db, config: MallConfig, priceFen: number): Promise<number> {
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen, category: "tea", stock: 50 });
  return (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
}

/** One tea (sku "tea", 龙井, 50 in stock) at `priceFen` in category "tea". */
export async function teaShop(db: Db, priceFen = 10_000): Promise<void> {
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen, category: "tea", stock: 50 });
}

/** Members signed up at `joined` (reg: their id) and one tea each paid through the sandbox at `bought` (buy). */
export function membersAt(db: Db, joined: Date, bought: Date) {
  const reg = async (username: string, sponsorId: number | null) =>
    (await inTx(db, { now: joined }, (ctx) => registerMember(ctx, { username, sponsorId }))).id;
  const buy = async (memberId: number) => {
    const o = await inTx(db, { now: bought }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now: bought }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  };
  return { reg, buy };
}

/** 店铺资料 as the form sends it with nothing filled in but the default name. */
export const BLANK_SHOP: ShopProfileInput = { name: "裂变商城", nameEn: "", operatorName: "", servicePhone: "", serviceWechat: "", email: "", serviceHours: "", address: "" };

/** A shop with every 店铺资料 field filled in. */
export const XIAOMAN_SHOP = {
  name: "小满优选",
  nameEn: "Xiaoman Select",
  operatorName: "杭州小满网络科技有限公司",
  servicePhone: "0571-88886666",
  serviceWechat: "xiaoman_kf",
  email: "kf@xiaoman.example",
  serviceHours: "每天 9:00–21:00",
  address: "浙江省杭州市西湖区文三路 1 号",
} satisfies ShopProfileValues;

/** 店铺资料 saved as the form saves it: on the profile as it reads now (its updatedAt: the stale-save check). */
export async function saveShopForm(caller: ReturnType<typeof staffCaller>, values: ShopProfileInput) {
  const { updatedAt } = await caller.merchantShop.profile();
  return caller.merchantShop.save({ ...values, baseUpdatedAt: updatedAt });
}
