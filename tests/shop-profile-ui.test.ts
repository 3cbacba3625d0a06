// The 店铺资料 page's form (app/merchant/shop) and the 联系客服 card on 我的 (app/me/ContactCard.tsx): the form checks
// what is typed with the procedure's own schema, each wrong field beside it in the staff's language, and is
// read-only for everyone but the owner; the card offers the phone as a tel: link and the WeChat ID to copy.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { zodResolver } from "@hookform/resolvers/zod";
import { createT, type Locale } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { refusalIssues } from "@/lib/i18n/labels";
import { profileFormValues, shopFieldName, shopProfileForm, type ShopProfileFormIn } from "@/app/merchant/shop/form";
import { ShopProfileForm } from "@/app/merchant/shop/ShopProfileForm";
import { ContactCard } from "@/app/me/ContactCard";
import { SHOP_PROFILE_MESSAGES } from "@/server/shop/schema";
import { DEFAULT_SHOP_PROFILE, type ShopContact } from "@/server/shop/profile";
import { NAV } from "@/app/merchant/_components/nav";
import { auditActionLabel, auditChanges } from "@/server/audit/display";
import { renderInProviders } from "./helpers/render";

const tr = (locale: Locale) =>
  createT(locale, MESSAGES[locale], (key) => {
    throw new Error(`message "${key}" is not in the ${locale} catalogue`);
  });
const en = tr("en");
const zh = tr("zh-CN");

const BLANK: ShopProfileFormIn = { name: "裂变商城", nameEn: "", operatorName: "", servicePhone: "", serviceWechat: "", email: "", serviceHours: "", address: "" };
const WRONG: ShopProfileFormIn = { ...BLANK, name: " ", nameEn: "x".repeat(61), servicePhone: "88886666", serviceWechat: "1abcdef", email: "kf@" };
const refusals = (form: ReturnType<typeof shopProfileForm>, v: ShopProfileFormIn) => Object.fromEntries(form.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? []);

describe("the 店铺资料 form", () => {
  it("reports every wrong field at once, in Chinese as the server words it", () => {
    expect(refusals(shopProfileForm(zh), WRONG)).toEqual({
      name: "请填写店铺名称",
      nameEn: "英文名称最多 60 个字",
      servicePhone: "请填写正确的客服电话：手机号、带区号的固定电话（如 0571-88886666）或 400/800 电话",
      serviceWechat: "请填写正确的微信号：6–20 位，以字母开头，可含字母、数字、下划线和减号；也可填手机号",
      email: "请填写正确的电子邮箱，如 service@example.com",
    });
  });

  it("and in English on an English page", () => {
    expect(refusals(shopProfileForm(en), WRONG)).toEqual({
      name: "Enter the shop's name",
      nameEn: "Must be at most 60 characters",
      servicePhone: "Enter a mobile number, a landline with its area code (e.g. 0571-88886666) or a 400/800 number",
      serviceWechat: "Enter a WeChat ID (6–20 letters, digits, _ or -, starting with a letter) or a mobile number",
      email: "Enter an e-mail address such as service@example.com",
    });
  });

  it("the Chinese words of the form's own checks are the server's", () => {
    expect([zh("m.shop.err.nameRequired"), zh("m.shop.err.servicePhone"), zh("m.shop.err.serviceWechat"), zh("m.shop.err.email")]).toEqual([
      SHOP_PROFILE_MESSAGES.nameRequired,
      SHOP_PROFILE_MESSAGES.servicePhone,
      SHOP_PROFILE_MESSAGES.serviceWechat,
      SHOP_PROFILE_MESSAGES.email,
    ]);
  });

  it("starts blank where a profile has nothing set", () => {
    expect(profileFormValues(DEFAULT_SHOP_PROFILE)).toEqual(BLANK);
  });

  it("gives react-hook-form each field's message, and the procedure's input when all is well", async () => {
    const resolve = zodResolver(shopProfileForm(zh));
    const options = { fields: {}, shouldUseNativeValidation: false } as const;
    const { errors } = await resolve({ ...BLANK, email: "kf@" }, undefined, options);
    expect(Object.keys(errors)).toEqual(["email"]);
    const ok = await resolve({ ...BLANK, name: " 小满优选 ", servicePhone: "138 0013 8000", serviceHours: "每天 9:00–21:00" }, undefined, options);
    expect(ok).toEqual({
      errors: {},
      values: { name: "小满优选", nameEn: null, operatorName: null, servicePhone: "13800138000", serviceWechat: null, email: null, serviceHours: "每天 9:00–21:00", address: null },
    });
  });

  it("the server's refusal of a field reads in English by the field's name and the rule", () => {
    const refused = {
      message: "店铺资料未保存：客服电话：…；店铺名称：含有禁用的收益承诺用语：“躺赚”",
      data: {
        domainCode: "SHOP_PROFILE_REFUSED",
        domainIssues: [
          { path: "servicePhone", message: SHOP_PROFILE_MESSAGES.servicePhone, detail: { code: "custom", params: { rule: "shopPhone" } } },
          { path: "name", message: "含有禁用的收益承诺用语：“躺赚”", detail: { code: "custom", params: { rule: "forbiddenClaims", words: ["躺赚"] } } },
        ],
      },
    };
    expect(refusalIssues(en, refused, shopFieldName).map((i) => i.text)).toEqual([
      "Service phone: must be a mobile number, a landline with its area code or a 400/800 number",
      'Shop name: must not make earnings claims: "躺赚"',
    ]);
    expect(refusalIssues(zh, refused, shopFieldName).map((i) => i.text)).toEqual([SHOP_PROFILE_MESSAGES.servicePhone, "含有禁用的收益承诺用语：“躺赚”"]);
  });
});

describe("the 店铺资料 page's form", () => {
  it("is in the sidebar after 协议与隐私, for every member of staff", () => {
    const system = NAV.find((g) => g.group === "m.nav.group.system")!.items.map((i) => [i.href, i.area]);
    expect(system.slice(-2)).toEqual([
      ["/merchant/legal", "rulesWrite"],
      ["/merchant/shop", "home"],
    ]);
  });

  const saved = { ...DEFAULT_SHOP_PROFILE, name: "小满优选", servicePhone: "0571-88886666", serviceWechat: "xiaoman_kf", updatedAt: new Date("2026-12-06T02:00:00Z"), updatedById: 1 };
  const render = (locale: Locale, canEdit: boolean) =>
    renderInProviders(createElement(ShopProfileForm, { canEdit }), locale, (trpc, qc) => qc.setQueryData(trpc.merchantShop.profile.queryKey(), saved)).html.replaceAll("<!-- -->", "");

  it("shows the saved values under the staff's language's labels; the owner gets a save button", () => {
    const html = render("en", true);
    for (const label of ["Shop name", "English name", "Operator", "Service phone", "Service WeChat ID", "E-mail", "Service hours", "Postal address", "Customer service"]) expect(html, label).toContain(label);
    expect(html).toContain('value="小满优选"');
    expect(html).toContain('value="0571-88886666"');
    expect(html).toContain('value="xiaoman_kf"');
    expect(html).toMatch(/<button type="submit"[^>]*>Save<\/button>/);
    // A field's hint describes it (read after its name), it is not part of the name.
    expect(html).toMatch(/<label for="shop-servicePhone"[^>]*>Service phone<\/label><input id="shop-servicePhone"[^>]*aria-describedby="shop-servicePhone-help"/);
    expect(html).not.toContain("Only the owner can change the shop profile.");
    expect(render("zh-CN", true)).toContain("客服微信号");
  });

  it("is read-only for other staff: the fields disabled, no save button, and why", () => {
    const html = render("zh-CN", false);
    expect(html).toContain("只有店主可以修改店铺资料。");
    expect(html).toMatch(/<fieldset disabled=""/);
    expect(html).not.toContain('type="submit"');
  });
});

describe("the 联系客服 card on 我的", () => {
  const all: ShopContact = { servicePhone: "0571-88886666-801", phoneHref: "tel:057188886666,801", serviceWechat: "xiaoman_kf", email: "kf@xiaoman.example", serviceHours: "每天 9:00–21:00" };
  const render = (contact: ShopContact, locale: Locale) => renderInProviders(createElement(ContactCard, { contact, t: tr(locale) }), locale).html.replaceAll("<!-- -->", "");

  it("offers the phone to call, the WeChat ID to copy, the e-mail and the hours", () => {
    const html = render(all, "zh-CN");
    expect(html).toContain("联系客服");
    expect(html).toMatch(/<a href="tel:057188886666,801"[^>]*>0571-88886666-801<\/a>/);
    expect(html).toContain(">xiaoman_kf</span>");
    expect(html).toMatch(/<button type="button"[^>]*>复制微信号<\/button>/);
    expect(html).toMatch(/<a href="mailto:kf@xiaoman.example"[^>]*>kf@xiaoman.example<\/a>/);
    expect(html).toContain("服务时间");
    expect(html).toContain("每天 9:00–21:00");
  });

  it("in English, and only the rows that are set", () => {
    const html = render({ ...all, serviceWechat: null, email: null, serviceHours: null }, "en");
    expect(html).toContain("Contact us");
    expect(html).toContain("Phone");
    for (const absent of ["WeChat", "E-mail", "Hours", "<button"]) expect(html, absent).not.toContain(absent);
  });
});

describe("the 店铺资料 in the audit log", () => {
  it("names the action and each changed field in the staff's language; a cleared field reads —", () => {
    const before = { servicePhone: "0571-88886666", address: "浙江省杭州市" };
    const after = { servicePhone: "400-800-1234", address: null };
    expect(auditActionLabel(zh, "shop.profile_updated")).toBe("修改店铺资料");
    expect(auditChanges(zh, "Asia/Shanghai", before, after, "shop.profile_updated")).toEqual([
      { key: "servicePhone", label: "客服电话", before: "0571-88886666", after: "400-800-1234" },
      { key: "address", label: "通信地址", before: "浙江省杭州市", after: "—" },
    ]);
    expect(auditActionLabel(en, "shop.profile_updated")).toBe("Shop profile changed");
    expect(auditChanges(en, "Asia/Shanghai", before, after).map((c) => c.label)).toEqual(["Service phone", "Postal address"]);
  });
});
