// 店铺资料: the shop's name, operator (经营主体) and customer-service channels. The app name and nothing else until
// the owner saves; every wrong field refused at once with its own message; earnings claims refused as in campaign
// texts; a save audited with what changed. The default 用户协议 / 隐私政策 name the operator as personal-information
// handler with the channels set (PIPL 第十七条), and shoppers get the channels, nothing more.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { DEFAULT_SHOP_PROFILE, getShopProfile, saveShopProfile, ShopProfileRefused, shopContact, shopDisplayName } from "../server/shop/profile";
import { isServicePhone, shopProfileSchema, telHref } from "../server/shop/schema";
import { defaultLegalText } from "../server/legal/defaults";
import { Markdown } from "../components/Markdown";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { refusalIssues } from "../lib/i18n/labels";
import { shopFieldName } from "../app/merchant/shop/form";
import { BLANK_SHOP, XIAOMAN_SHOP, saveShopForm } from "./helpers/shop";
import { freshDatabase } from "./helpers/db";
import { callerFor, refusal, signedInStaff } from "./helpers/caller";

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
});
afterAll(() => database.close());
// Each test starts from the defaults (a save's regenerated 用户协议 / 隐私政策 versions gone too); the audit log is
// append-only, so each reads the entries after its start.
let auditMark = 0;
beforeEach(async () => {
  await db.shopProfile.deleteMany();
  await db.legalDocumentVersion.deleteMany();
  auditMark = (await db.auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0;
});

const NOW = new Date("2026-12-06T02:00:00.000Z");
const BLANK = BLANK_SHOP;
const XIAOMAN = XIAOMAN_SHOP;

/** The refusal of a save in the domain, as { field: message }. */
async function refusedFields(input: unknown, config = parseConfig({})): Promise<Record<string, string>> {
  try {
    await inTx(db, { now: NOW, config }, (ctx) => saveShopProfile(ctx, input, { staffId: 1 }));
  } catch (e) {
    if (!(e instanceof ShopProfileRefused)) throw e;
    expect(e.code).toBe("SHOP_PROFILE_REFUSED");
    return Object.fromEntries(e.issues.map((i) => [i.path, i.message]));
  }
  throw new Error("the save was not refused");
}

const auditEntries = () => db.auditLog.findMany({ where: { action: { startsWith: "shop." }, id: { gt: auditMark } }, orderBy: { id: "asc" } });

describe("the 店铺资料 before any save", () => {
  it("is the app name and nothing else; English pages show the app's English name; shoppers get no contact", async () => {
    expect(await getShopProfile(db)).toEqual({ name: "裂变商城", nameEn: null, operatorName: null, servicePhone: null, serviceWechat: null, email: null, serviceHours: null, address: null, updatedAt: null, updatedById: null });
    expect(shopDisplayName(DEFAULT_SHOP_PROFILE, "zh-CN")).toBe("裂变商城");
    expect(shopDisplayName(DEFAULT_SHOP_PROFILE, "en")).toBe("Fission Mall");
    expect(await shopContact(db)).toBeNull();
  });

  it("the table's own default name is the app name too", async () => {
    const [col] = await db.$queryRaw<{ column_default: string }[]>`SELECT column_default FROM information_schema.columns WHERE table_name = 'ShopProfile' AND column_name = 'name'`;
    expect(col!.column_default).toBe("'裂变商城'::text");
  });

  it("a Chinese name without an English one is shown on English pages as it is", () => {
    expect(shopDisplayName({ name: "小满优选", nameEn: null }, "en")).toBe("小满优选");
    expect(shopDisplayName({ name: "小满优选", nameEn: "Xiaoman Select" }, "en")).toBe("Xiaoman Select");
  });
});

describe("refusals", () => {
  it("every wrong field at once, each with its own message; nothing is saved or audited", async () => {
    expect(
      await refusedFields({
        name: "   ",
        nameEn: "x".repeat(61),
        operatorName: "杭州小满网络科技有限公司",
        servicePhone: "88886666",
        serviceWechat: "1abcdef",
        email: "kf@",
        serviceHours: "时".repeat(61),
        address: "址".repeat(121),
      }),
    ).toEqual({
      name: "请填写店铺名称",
      nameEn: "英文名称最多 60 个字",
      servicePhone: "请填写正确的客服电话：手机号、带区号的固定电话（如 0571-88886666）或 400/800 电话",
      serviceWechat: "请填写正确的微信号：6–20 位，以字母开头，可含字母、数字、下划线和减号；也可填手机号",
      email: "请填写正确的电子邮箱，如 service@example.com",
      serviceHours: "服务时间最多 60 个字",
      address: "通信地址最多 120 个字",
    });
    expect(await db.shopProfile.count()).toBe(0);
    expect(await auditEntries()).toEqual([]);
  });

  it("an English page reads each refused field by its name and the rule it breaks", async () => {
    const e = await inTx(db, { now: NOW, config: parseConfig({}) }, (ctx) =>
      saveShopProfile(ctx, { ...BLANK, name: "", nameEn: "x".repeat(61), servicePhone: "88886666", serviceWechat: "1abcdef", email: "kf@", address: "躺赚大厦" }, { staffId: 1 }),
    ).then(
      () => expect.unreachable("the save was not refused"),
      (x: unknown) => x as ShopProfileRefused,
    );
    const english = refusalIssues(createT("en", MESSAGES.en), { message: e.message, data: { domainCode: e.code, domainIssues: e.issues } }, shopFieldName);
    expect(Object.fromEntries(english.map((i) => [i.path, i.text]))).toEqual({
      name: "Shop name: must not be empty",
      nameEn: "English name: must be at most 60 characters",
      servicePhone: "Service phone: must be a mobile number, a landline with its area code or a 400/800 number",
      serviceWechat: "Service WeChat ID: must be a WeChat ID of 6–20 characters starting with a letter, or a mobile number",
      email: "E-mail: must be a valid e-mail address",
      address: 'Postal address: must not make earnings claims: "躺赚"',
    });
  });

  it("the whole refusal names each field in Chinese", async () => {
    const e = await inTx(db, { now: NOW, config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, { ...BLANK, name: "", email: "kf@" }, { staffId: 1 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ShopProfileRefused);
    expect((e as Error).message).toBe("店铺资料未保存：店铺名称：请填写店铺名称；电子邮箱：请填写正确的电子邮箱，如 service@example.com");
  });

  it("a name of 31 characters is too long, of 30 is not", async () => {
    expect(await refusedFields({ ...BLANK, name: "店".repeat(31) })).toEqual({ name: "店铺名称最多 30 个字" });
    const r = await inTx(db, { now: NOW, config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, { ...BLANK, name: "店".repeat(30) }, { staffId: 1 }));
    expect(r.profile.name).toBe("店".repeat(30));
  });

  it("earnings claims in the texts, from the fixed core and from the configured list, naming field and words", async () => {
    // 躺赚 is always forbidden; 包赚 only once the merchant's list names it.
    const config = parseConfig({ compliance: { forbiddenClaims: ["包赚"] } });
    expect(await refusedFields({ ...BLANK, name: "躺赚小店", address: "包赚大厦 1 楼" }, config)).toEqual({ name: "含有禁用的收益承诺用语：“躺赚”", address: "含有禁用的收益承诺用语：“包赚”" });
    expect(await refusedFields({ ...BLANK, nameEn: "x", serviceHours: "全天 保证收益" })).toEqual({ serviceHours: "含有禁用的收益承诺用语：“保证收益”" });
    const e = await inTx(db, { now: NOW, config }, (ctx) => saveShopProfile(ctx, { ...BLANK, operatorName: "稳赚公司" }, { staffId: 1 })).catch((x: unknown) => x);
    // Carried to other languages without words: the rule and the words.
    expect((e as ShopProfileRefused).issues).toEqual([{ path: "operatorName", message: "含有禁用的收益承诺用语：“稳赚”", detail: { code: "custom", params: { rule: "forbiddenClaims", words: ["稳赚"] } } }]);
    // Without 包赚 in the list, that address is fine.
    await inTx(db, { now: NOW, config: parseConfig({}) }, (ctx) => saveShopProfile(ctx, { ...BLANK, address: "包赚大厦 1 楼" }, { staffId: 1 }));
    expect((await getShopProfile(db)).address).toBe("包赚大厦 1 楼");
  });

  it("an unknown field is refused, not ignored", async () => {
    expect(await refusedFields({ ...BLANK, fax: "0571-1234567" })).toEqual({ "": 'Unrecognized key: "fax"' });
  });
});

describe("the formats", () => {
  it("a phone is a mainland mobile, a landline with its area code (an extension allowed) or a 400/800 number", () => {
    for (const ok of ["13800138000", "19912345678", "0571-88886666", "057188886666", "010-62345678", "0755-2345678", "0571-88886666-801", "400-800-1234", "4008001234", "800-123-4567"]) {
      expect(isServicePhone(ok), ok).toBe(true);
    }
    // No area code; 10 digits; 12 is no mobile prefix; a local number never starts with 0; 12 digits after 1.
    for (const bad of ["88886666", "1380013800", "12800138000", "0571-08886666", "138001380001", "+86 13800138000", "0571 88886666 转 801"]) {
      expect(isServicePhone(bad), bad).toBe(false);
    }
  });

  it("spaces typed in a phone are dropped; the WeChat ID and e-mail are kept as typed; blank is not set", () => {
    const r = shopProfileSchema.parse({ ...BLANK, servicePhone: " 138 0013 8000 ", serviceWechat: " Xiaoman-KF_01 ", email: " kf@xiaoman.example " });
    expect(r).toEqual({ name: "裂变商城", nameEn: null, operatorName: null, servicePhone: "13800138000", serviceWechat: "Xiaoman-KF_01", email: "kf@xiaoman.example", serviceHours: null, address: null });
    // What the schema gives back it accepts again (the procedure parses, the domain checks again).
    expect(shopProfileSchema.parse(r)).toEqual(r);
  });

  it("a WeChat ID is 6–20 characters starting with a letter, or a mobile number", () => {
    const wechat = (v: string) => shopProfileSchema.safeParse({ ...BLANK, serviceWechat: v }).success;
    expect(["abcdef", "a".repeat(20), "xiaoman_kf", "kf-2026", "13800138000"].map(wechat)).toEqual([true, true, true, true, true]);
    expect(["abcde", "a".repeat(21), "1abcdef", "xiao man", "小满客服"].map(wechat)).toEqual([false, false, false, false, false]);
  });

  it("a phone's tel: link has digits only, an extension after a pause", () => {
    expect(telHref("0571-88886666-801")).toBe("tel:057188886666,801");
    expect(telHref("0571-88886666")).toBe("tel:057188886666");
    expect(telHref("400-800-1234")).toBe("tel:4008001234");
    expect(telHref("13800138000")).toBe("tel:13800138000");
  });
});

describe("saving", () => {
  it("the owner's save is stored with who and when and audited with the changed fields; the same save again writes nothing", async () => {
    const owner = await signedInStaff(db, "owner");
    expect(await saveShopForm(owner.caller, XIAOMAN)).toMatchObject({ changed: true, profile: { ...XIAOMAN, updatedById: owner.id } });
    const row = await db.shopProfile.findUniqueOrThrow({ where: { id: "default" } });
    expect(row).toMatchObject({ ...XIAOMAN, updatedById: owner.id });

    const [entry, ...more] = await auditEntries();
    expect(more).toEqual([]);
    // Before: the defaults (the app name, nothing set); every field changed.
    expect(entry).toMatchObject({
      actorType: "staff",
      actorId: owner.id,
      action: "shop.profile_updated",
      target: "shop:profile",
      before: { name: "裂变商城", nameEn: null, operatorName: null, servicePhone: null, serviceWechat: null, email: null, serviceHours: null, address: null },
      after: XIAOMAN,
      requestId: "test-request",
    });
    expect(entry!.createdAt).toEqual(row.updatedAt);

    expect(await saveShopForm(owner.caller, XIAOMAN)).toMatchObject({ changed: false });
    expect(await auditEntries()).toHaveLength(1);

    // Only the phone changes, and clearing the address: the entry names those two.
    await saveShopForm(owner.caller, { ...XIAOMAN, servicePhone: "400-800-1234", address: "  " });
    const last = (await auditEntries()).at(-1)!;
    expect([last.before, last.after]).toEqual([
      { servicePhone: "0571-88886666", address: "浙江省杭州市西湖区文三路 1 号" },
      { servicePhone: "400-800-1234", address: null },
    ]);
    expect((await getShopProfile(db)).address).toBeNull();
  });

  it("every member of staff reads it; only the owner saves; a refusal reaches the page with its fields", async () => {
    const owner = await signedInStaff(db, "owner");
    await saveShopForm(owner.caller, XIAOMAN);
    for (const role of ["operator", "finance", "risk", "support"] as const) {
      const staff = await signedInStaff(db, role);
      expect(await staff.caller.merchantShop.profile(), role).toMatchObject(XIAOMAN);
      expect((await refusal(saveShopForm(staff.caller, { ...XIAOMAN, name: "别人改的" }))).code, role).toBe("FORBIDDEN");
    }
    expect((await getShopProfile(db)).name).toBe("小满优选");
    const refused = await saveShopForm(owner.caller, { ...XIAOMAN, name: "稳赚小店" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "BAD_REQUEST", cause: { code: "SHOP_PROFILE_REFUSED", issues: [{ path: "name" }] } });
  });

  it("shoppers get the channels (the phone with its tel: link), not the operator or the address; none when no channel is set", async () => {
    const owner = await signedInStaff(db, "owner");
    await saveShopForm(owner.caller, XIAOMAN);
    expect(await shopContact(db)).toEqual({ servicePhone: "0571-88886666", phoneHref: "tel:057188886666", serviceWechat: "xiaoman_kf", email: "kf@xiaoman.example", serviceHours: "每天 9:00–21:00" });
    // Hours and an address reach nobody by themselves.
    await saveShopForm(owner.caller, { ...BLANK, serviceHours: "每天 9:00–21:00", address: "浙江省杭州市" });
    expect(await shopContact(db)).toBeNull();
    await saveShopForm(owner.caller, { ...BLANK, serviceWechat: "xiaoman_kf" });
    expect(await shopContact(db)).toEqual({ servicePhone: null, phoneHref: null, serviceWechat: "xiaoman_kf", email: null, serviceHours: null });
  });
});

describe("the default 用户协议 and 隐私政策 with the 店铺资料", () => {
  /** The contact section: from its heading to the next one. */
  const section = (text: string, heading: string) => text.slice(text.indexOf(heading)).split(/\n## /)[0]!;
  const HEADING = { "zh-CN": { terms: "## 九、联系我们", privacy: "## 六、联系我们" }, en: { terms: "## 9. Contact", privacy: "## 6. Contact" } } as const;

  it("name the operator as handler and list each channel set, in both documents and languages", async () => {
    const owner = await signedInStaff(db, "owner");
    await saveShopForm(owner.caller, XIAOMAN);
    const anyone = callerFor(db, null);
    for (const kind of ["terms", "privacy"] as const) {
      const zh = (await anyone.legal.document({ kind, locale: "zh-CN" })).body;
      expect(zh.startsWith(kind === "terms" ? "# 小满优选用户协议" : "# 小满优选隐私政策"), kind).toBe(true);
      const zhContact = section(zh, HEADING["zh-CN"][kind]);
      expect(zhContact, kind).toContain("个人信息处理者和本商城的运营者：杭州小满网络科技有限公司。");
      // A list under item 3; the underscore of the WeChat ID escaped so Markdown keeps it.
      expect(zhContact, kind).toContain(
        "3. **其他疑问、意见、投诉，以及行使个人信息权利的请求**：请联系小满优选客服：\n   - 客服电话：0571-88886666\n   - 客服微信：xiaoman\\_kf\n   - 电子邮箱：kf@xiaoman.example\n   - 服务时间：每天 9:00–21:00\n   - 通信地址：浙江省杭州市西湖区文三路 1 号",
      );
      const en = (await anyone.legal.document({ kind, locale: "en" })).body;
      expect(en.startsWith(kind === "terms" ? "# Xiaoman Select Terms of Service" : "# Xiaoman Select Privacy Policy"), kind).toBe(true);
      const enContact = section(en, HEADING.en[kind]);
      expect(enContact, kind).toContain("The personal information handler and operator of the shop: 杭州小满网络科技有限公司.");
      expect(enContact, kind).toContain(
        "contact Xiaoman Select's customer service:\n   - Phone: 0571-88886666\n   - WeChat: xiaoman\\_kf\n   - E-mail: kf@xiaoman.example\n   - Hours: 每天 9:00–21:00\n   - Postal address: 浙江省杭州市西湖区文三路 1 号",
      );
    }
  });

  it("shoppers read the channels as a list under item 3, the ID as typed", () => {
    const html = renderToStaticMarkup(createElement(Markdown, { text: section(defaultLegalText("privacy", "zh-CN", "小满优选", XIAOMAN), HEADING["zh-CN"].privacy) }));
    expect(html).toMatch(/<li><strong>其他疑问[^<]*<\/strong>：请联系小满优选客服：\s*<ul[^>]*>\s*<li>客服电话/);
    expect(html).toContain("<li>客服电话：0571-88886666</li>");
    expect(html).toContain("<li>客服微信：xiaoman_kf</li>");
    expect(html).toContain("<li>通信地址：浙江省杭州市西湖区文三路 1 号</li>");
  });

  it("only the channels set, and the shop as handler while no operator is given", () => {
    const zh = section(defaultLegalText("terms", "zh-CN", "小满优选", { servicePhone: "13800138000" }), HEADING["zh-CN"].terms);
    expect(zh).toContain("个人信息处理者和本商城的运营者：小满优选。");
    expect(zh).toContain("请联系小满优选客服：\n   - 客服电话：13800138000");
    for (const absent of ["客服微信", "电子邮箱", "服务时间", "通信地址"]) expect(zh, absent).not.toContain(absent);
    // Nothing set: the sentence of before.
    expect(defaultLegalText("terms", "zh-CN", "小满优选", {})).toBe(defaultLegalText("terms", "zh-CN", "小满优选"));
    expect(section(defaultLegalText("terms", "en", "Xiaoman Select"), HEADING.en.terms).trimEnd().endsWith("contact Xiaoman Select's customer service.")).toBe(true);
  });

  it("what the merchant typed is shown as typed, never read as Markdown", () => {
    const html = renderToStaticMarkup(createElement(Markdown, { text: defaultLegalText("privacy", "zh-CN", "*小满*优选", { operatorName: "[小满](https://evil.example) 公司", address: "文三路 1 号\n# 2 楼" }) }));
    expect(html).toContain("个人信息处理者和本商城的运营者：[小满](https://evil.example) 公司。");
    expect(html).toContain("<h3");
    expect(html).toContain("*小满*优选隐私政策");
    expect(html).not.toContain("evil.example\"");
    expect(html).toContain("通信地址：文三路 1 号 # 2 楼");
  });

  it("before any save: the app name as handler, as before", async () => {
    const body = (await callerFor(db, null).legal.document({ kind: "privacy", locale: "zh-CN" })).body;
    expect(body).toBe(defaultLegalText("privacy", "zh-CN", "裂变商城"));
    expect(section(body, HEADING["zh-CN"].privacy)).toContain("个人信息处理者和本商城的运营者：裂变商城。");
  });
});
