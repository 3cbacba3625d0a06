// Demo data: a realistic catalogue (Chinese names, prices in fen) and a small referral network whose
// orders went through the real engine (registration, payment, delivery, completion, settlement).
// Idempotent: does nothing when products already exist. Never into a database that has served in production.
import type { Db } from "../server/db";
import { inTx } from "../server/context";
import { createSimpleProduct, saveProduct } from "../server/catalog/admin";
import { recordReferralVisits, registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery } from "../server/orders";
import { runDueTransitions, ensureRecurringTransitions } from "../server/scheduler";
import { DAY, HOUR, MINUTE } from "../server/clock/time";
import { hashPassword } from "../server/staff/password";
import { phoneFields } from "../server/auth/crypto";
import { approveAdjustment, requestAdjustment } from "../server/wallet/adjustments";
import { verifyIdentity } from "../server/wallet/identity";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { addAddress, formatShippingAddress, shippingPlace } from "../server/members/addresses";
import type { Env } from "../server/env";
import { productionStartedAt } from "../server/startup";

/** The demo seed refused: one line for the command line. */
export class DemoSeedRefusedError extends Error {
  constructor(reason: string) {
    super(`refusing to seed the demo mall (its staff sign in with the password the README publishes): ${reason}`);
    this.name = "DemoSeedRefusedError";
  }
}

/** The command lines' flag (or FM_ALLOW_DEMO_SEED=1) that allows seeding the database named by DATABASE_URL. */
export const DEMO_SEED_FLAG = "--demo";

/**
 * npm run db:seed, npm run dev and db:migrate -- --seed, before opening the database: a DATABASE_URL may be
 * production's, so it is seeded only with DEMO_SEED_FLAG or FM_ALLOW_DEMO_SEED=1. Throws DemoSeedRefusedError.
 */
export function checkDemoSeedAllowed(argv: readonly string[] = process.argv, env: Env = process.env): void {
  if (!env.DATABASE_URL || argv.includes(DEMO_SEED_FLAG) || env.FM_ALLOW_DEMO_SEED === "1") return;
  throw new DemoSeedRefusedError(`DATABASE_URL is set; if it is a development database, pass ${DEMO_SEED_FLAG} (npm run db:seed -- ${DEMO_SEED_FLAG}) or set FM_ALLOW_DEMO_SEED=1`);
}

/**
 * Back-office accounts of the demo (README "Development"): sign in at /merchant/login. The owner and
 * finance accounts must enrol a TOTP authenticator at their first sign-in.
 */
export const DEMO_STAFF_PASSWORD = "fission-demo-2026";
export const DEMO_STAFF = [
  { username: "owner", displayName: "店主", role: "owner" },
  { username: "operator", displayName: "运营小林", role: "operator" },
  { username: "finance", displayName: "财务周姐", role: "finance" },
  { username: "risk", displayName: "风控老郑", role: "risk" },
  { username: "support", displayName: "客服小美", role: "support" },
] as const;

export const DEMO_CATEGORIES = [
  { slug: "tea", name: "茗茶", sort: 1 },
  { slug: "snacks", name: "休闲零食", sort: 2 },
  { slug: "fresh", name: "生鲜果蔬", sort: 3 },
  { slug: "beauty", name: "美妆个护", sort: 4 },
  { slug: "home", name: "家居日用", sort: 5 },
  { slug: "digital", name: "数码配件", sort: 6 },
];

export const DEMO_PRODUCTS = [
  { sku: "tea-longjing", name: "明前西湖龙井 250g", priceFen: 26800, category: "tea", stock: 200, description: "杭州西湖产区，明前头采，豆香清雅。" },
  { sku: "tea-puer", name: "云南勐海普洱熟茶饼 357g", priceFen: 15800, category: "tea", stock: 150, description: "勐海茶区大叶种，七年陈化，汤色红浓。" },
  { sku: "tea-jasmine", name: "福州茉莉花茶 罐装 100g", priceFen: 6900, category: "tea", stock: 300, description: "七窨一提，花香鲜灵持久。" },
  { sku: "snack-nuts", name: "每日坚果 30袋礼盒", priceFen: 12900, category: "snacks", stock: 500, description: "六种坚果果干科学配比，独立小包装。" },
  { sku: "snack-beef", name: "内蒙古风干牛肉干 500g", priceFen: 9800, category: "snacks", stock: 260, description: "草原黄牛后腿肉，手撕风干。" },
  { sku: "snack-mooncake", name: "广式莲蓉蛋黄月饼 6枚", priceFen: 16800, category: "snacks", stock: 120, description: "白莲蓉配咸蛋黄，老字号工艺。" },
  { sku: "fresh-orange", name: "赣南脐橙 5kg 装", priceFen: 5990, category: "fresh", stock: 400, description: "产地直发，果园现摘，酸甜多汁。" },
  { sku: "fresh-kiwi", name: "陕西周至猕猴桃 24枚", priceFen: 7990, category: "fresh", stock: 300, description: "翠香品种，软糯香甜。" },
  { sku: "fresh-rice", name: "五常稻花香大米 5kg", priceFen: 8900, category: "fresh", stock: 350, description: "黑龙江五常核心产区，当季新米。" },
  { sku: "beauty-mask", name: "玻尿酸补水面膜 10片", priceFen: 9900, category: "beauty", stock: 600, description: "深层补水，温和不刺激。" },
  { sku: "beauty-cream", name: "烟酰胺焕亮面霜 50ml", priceFen: 19900, category: "beauty", stock: 180, description: "提亮肤色，清爽好吸收。" },
  { sku: "home-towel", name: "新疆长绒棉毛巾 4条装", priceFen: 5900, category: "home", stock: 800, description: "A类标准，柔软吸水。" },
  { sku: "home-pillow", name: "天然乳胶枕 泰国进口", priceFen: 29900, category: "home", stock: 90, description: "护颈曲线，透气抑菌。" },
  { sku: "digital-charger", name: "65W 氮化镓快充充电器", priceFen: 14900, category: "digital", stock: 220, description: "三口快充，小巧便携。" },
  { sku: "digital-earbuds", name: "降噪蓝牙耳机 Pro", priceFen: 39900, category: "digital", stock: 75, description: "主动降噪，30 小时续航。" },
];

/**
 * Demo products with a 规格 to choose, made as the back office's product editor makes them (saveProduct): one option
 * group, one SKU per value with its own code, price and stock, the product's picture public/products/<picture>.webp.
 * The limited gift box is sold out, so the demo shop shows a 已售罄 choice next to ones in stock.
 */
export const DEMO_OPTION_PRODUCTS = [
  {
    picture: "fresh-strawberry",
    name: "丹东红颜草莓 现摘现发",
    category: "fresh",
    description: "辽宁丹东产区，冬季大棚红颜品种，果香浓郁，冷链直达。精品礼盒每季限量。",
    option: "规格",
    skus: [
      { value: "1kg 尝鲜装", code: "fresh-strawberry-1kg", priceFen: 6990, stock: 240 },
      { value: "2kg 家庭装", code: "fresh-strawberry-2kg", priceFen: 12900, stock: 150 },
      { value: "2kg 精品礼盒（限量）", code: "fresh-strawberry-gift", priceFen: 16900, stock: 0 },
    ],
  },
];

/**
 * Demo network: 店长 → 3 promoters → their friends, with orders at various stages. Each shopper has a
 * phone so they can sign in at /login (code from /dev/sms; README.md lists them) and a default
 * shipping address (recipient, county code of the 省/市/区 picker, street), which their orders carry.
 */
export const DEMO_SHOPPERS: { username: string; nickname: string; phone: string; sponsor?: string; address: { name: string; areaCode: string; detail: string } }[] = [
  { username: "demo_wang", nickname: "王店长", phone: "13800000001", address: { name: "王建国", areaCode: "330106", detail: "文三路 478 号华星时代广场 1 幢 1203 室" } },
  { username: "demo_li", nickname: "李姐", phone: "13800000002", sponsor: "demo_wang", address: { name: "李秀英", areaCode: "330102", detail: "清泰街 56 号 3 单元 502" } },
  { username: "demo_zhang", nickname: "张老师", phone: "13800000003", sponsor: "demo_wang", address: { name: "张敏", areaCode: "330105", detail: "湖墅南路 88 号 2 幢 701" } },
  { username: "demo_chen", nickname: "小陈", phone: "13800000004", sponsor: "demo_wang", address: { name: "陈晨", areaCode: "330108", detail: "江南大道 3850 号创新大厦 9 楼" } },
  { username: "demo_liu", nickname: "刘阿姨", phone: "13800000005", sponsor: "demo_li", address: { name: "刘桂芳", areaCode: "330203", detail: "中山西路 138 号 4 单元 301" } },
  { username: "demo_zhao", nickname: "赵同学", phone: "13800000006", sponsor: "demo_li", address: { name: "赵宇", areaCode: "330110", detail: "余杭塘路 2318 号 6 号楼 415 寝室" } },
  { username: "demo_sun", nickname: "孙先生", phone: "13800000007", sponsor: "demo_zhang", address: { name: "孙浩", areaCode: "310115", detail: "张杨路 1500 号 12 楼" } },
  { username: "demo_zhou", nickname: "周女士", phone: "13800000008", sponsor: "demo_chen", address: { name: "周丽", areaCode: "320508", detail: "人民路 1088 号 7 幢 203" } },
  { username: "demo_wu", nickname: "吴师傅", phone: "13800000009", sponsor: "demo_liu", address: { name: "吴强", areaCode: "330602", detail: "解放北路 266 号" } },
];

export async function seedDemo(db: Db, now = new Date()): Promise<boolean> {
  // Demo data (and its demo staff with a published password) never goes into a production database.
  if (process.env.NODE_ENV === "production") throw new DemoSeedRefusedError("NODE_ENV=production");
  const servedAt = await productionStartedAt(db);
  if (servedAt) throw new DemoSeedRefusedError(`this database has served in production (first started ${servedAt.toISOString()})`);
  if ((await db.product.count()) > 0) return false;
  const start = new Date(now.getTime() - 20 * DAY);
  await inTx(db, { now: start }, async (ctx) => {
    for (const c of DEMO_CATEGORIES) await ctx.tx.category.create({ data: c });
    for (const [i, p] of DEMO_PRODUCTS.entries()) await createSimpleProduct(ctx.tx, { ...p, imageUrl: `/products/${p.sku}.webp`, sort: i });
    for (const [i, p] of DEMO_OPTION_PRODUCTS.entries()) {
      await saveProduct(ctx, null, null, {
        name: p.name,
        description: p.description,
        category: p.category,
        images: [`/products/${p.picture}.webp`],
        optionGroups: [{ name: p.option, values: p.skus.map((s) => s.value) }],
        skus: p.skus.map((s) => ({ options: [s.value], code: s.code, priceFen: s.priceFen, stock: s.stock })),
        sort: DEMO_PRODUCTS.length + i,
      });
    }
    await ensureRecurringTransitions(ctx);
  });
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
  await db.staffAccount.createMany({ data: DEMO_STAFF.map((s) => ({ ...s, passwordHash, createdAt: start })), skipDuplicates: true });
  const ids = new Map<string, number>();
  const codes = new Map<string, string>();
  const addresses = new Map<string, Awaited<ReturnType<typeof addAddress>>>();
  let t = start.getTime();
  for (const [i, m] of DEMO_SHOPPERS.entries()) {
    t += HOUR;
    await inTx(db, { now: new Date(t) }, async (ctx) => {
      // An invitee opened the sponsor's link before signing up, as did a few friends who did not (the landing page's count).
      if (m.sponsor) {
        const opened = 3 + (i % 3);
        await recordReferralVisits(ctx, Array.from({ length: opened }, (_, k) => ({ code: codes.get(m.sponsor!)!, visitorId: null, at: new Date(t - (opened - k) * 7 * MINUTE) })));
      }
      const member = await registerMember(ctx, {
        username: m.username,
        nickname: m.nickname,
        phone: phoneFields(m.phone),
        sponsorId: m.sponsor ? ids.get(m.sponsor)! : null,
        ip: `10.0.0.${i + 1}`,
        device: `seed-device-${i}`,
      });
      ids.set(m.username, member.id);
      codes.set(m.username, member.referralCode);
      addresses.set(m.username, await addAddress(ctx, member.id, { ...m.address, phone: m.phone, isDefault: true }));
    });
  }
  // Orders: the store owner's anchor order, then the directs' first orders (推三返一 progress).
  const buys: { who: string; sku: string; qty: number; deliver: boolean }[] = [
    { who: "demo_wang", sku: "tea-longjing", qty: 1, deliver: true },
    { who: "demo_li", sku: "snack-nuts", qty: 2, deliver: true },
    { who: "demo_zhang", sku: "fresh-orange", qty: 1, deliver: true },
    { who: "demo_chen", sku: "beauty-mask", qty: 1, deliver: false },
    { who: "demo_liu", sku: "tea-jasmine", qty: 3, deliver: true },
    { who: "demo_sun", sku: "home-towel", qty: 1, deliver: false },
  ];
  for (const [i, b] of buys.entries()) {
    t = start.getTime() + DAY + i * 6 * HOUR;
    const at = new Date(t);
    await runDueTransitions(db, at, { clock: "due" });
    const order = await inTx(db, { now: at }, (ctx) =>
      createOrder(ctx, { memberId: ids.get(b.who)!, lines: [{ sku: b.sku, qty: b.qty }], address: formatShippingAddress(addresses.get(b.who)!), addressKey: shippingPlace(addresses.get(b.who)!) }),
    );
    await inTx(db, { now: new Date(t + 60_000) }, (ctx) =>
      confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `seed-${order.id}`, amountFen: order.payableFen, currency: "CNY" }),
    );
    if (b.deliver) {
      await inTx(db, { now: new Date(t + DAY) }, async (ctx) => {
        await shipOrder(ctx, order.id);
      });
      await inTx(db, { now: new Date(t + 3 * DAY) }, async (ctx) => {
        await confirmDelivery(ctx, order.id);
      });
    }
  }
  await runDueTransitions(db, now, { clock: "due" });

  // Demo back office: 李姐 verified her identity and asked to withdraw 2 500 元, which needs one staff approval (SPEC §6).
  // Her balance is the one a shop moving over brings along: a 调账 with its reason, requested by finance and approved by
  // the owner (above the two-person threshold), not a reward her place in the network never earned.
  const li = ids.get("demo_li")!;
  const staffId = async (username: string) => (await db.staffAccount.findUniqueOrThrow({ where: { username }, select: { id: true } })).id;
  const [finance, owner] = [await staffId("finance"), await staffId("owner")];
  const adjustment = await inTx(db, { now: new Date(now.getTime() - 2 * HOUR) }, (ctx) =>
    requestAdjustment(ctx, { staffId: finance }, { member: `#${li}`, bucket: "available", amountFen: 300_000, reason: "演示数据：原分销系统迁入的可提现余额", requestKey: "de000000000000000000000000000001" }),
  );
  await inTx(db, { now: new Date(now.getTime() - HOUR) }, (ctx) => approveAdjustment(ctx, { staffId: owner }, adjustment.id));
  await inTx(db, { now }, async (ctx) => {
    // Her own number (310104 上海市徐汇区, 1965-08-12): one ID number verifies one account, and the well-known example stays free.
    await verifyIdentity(ctx, li, { realName: "李秀英", idNumber: "310104196508120048" });
    await requestWithdrawal(ctx, li, 250_000);
  });
  return true;
}
