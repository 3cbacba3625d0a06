// What a shared link's audience is told must follow the rules in force: with 推三返一 off no cashback badge,
// headline or earnings promise (多邀多得) on the landing, its preview picture or the site's description; an
// unknown or frozen code previews the shop plainly, with nothing to claim. The landing's actions fit a 320 px
// phone and give each viewer (visitor, member, the sharer on their own link) their own next step.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { landingHeadline, landingOfferText, posterOfferText, promoteOfferText } from "@/lib/i18n/labels";
import { siteDescription } from "@/lib/i18n/rebate-offer";
import { ogText } from "@/app/api/og/r/[code]/og-text";
import { InviteActions } from "@/app/r/[code]/InviteActions";
import { parseConfig } from "@/server/config/schema";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const on = parseConfig({}).rebate; // 3 friends, 30 days, 100 % in cash
const off = { ...on, enabled: false };

describe("推三返一 switched off", () => {
  it("the landing's headline promises no cashback", () => {
    expect(landingHeadline(zh, off)).toBe("好友推荐，一起逛逛");
    expect(landingHeadline(en, off)).toBe("Recommended by a friend");
    for (const text of [landingHeadline(zh, off), landingOfferText(zh, off)]) expect(text).not.toMatch(/返|邀请 3 人|推三返一/);
    // Still the offer while it runs.
    expect(landingHeadline(zh, on)).toBe("邀请 3 人，本单全额返现");
  });

  it("no text promises earnings by inviting (多邀多得), in either language", () => {
    for (const t of [zh, en]) {
      for (const text of [promoteOfferText(t, off), posterOfferText(t, off), landingOfferText(t, off)]) expect(text).not.toMatch(/多邀多得|赚|the more you invite|earn/i);
    }
    for (const messages of [MESSAGES["zh-CN"], MESSAGES.en]) {
      expect(Object.values(messages).filter((m) => /多邀多得|the more you invite, the more you earn/i.test(m))).toEqual([]);
    }
  });

  it("an invitation's picture has no badge and no offer, only a plain welcome", () => {
    expect(ogText("zh-CN", "裂变商城", { inviter: "王*长", rebate: off })).toEqual({ headline: "王*长 邀请你加入", badge: null, offer: "新人注册即可购物", footer: "正品好物 · 点击查看" });
    expect(ogText("en", "Fission Mall", { inviter: "Ann", rebate: off }).badge).toBeNull();
  });
});

describe("the picture of an unknown or frozen code (no invitation), whatever the campaign", () => {
  it("is the shop's, with a plain line and nothing to claim", () => {
    expect(ogText("zh-CN", "裂变商城", null)).toEqual({ headline: "裂变商城 · 好物低价", badge: null, offer: "精选正品好物，欢迎进店逛逛", footer: "正品好物 · 点击查看" });
    expect(ogText("en", "Fission Mall", null)).toEqual({ headline: "Fission Mall · Great goods, low prices", badge: null, offer: "Handpicked genuine goods: come and have a look", footer: "Genuine goods · Tap to see" });
  });

  it("an invitation while the campaign runs claims nothing either", () => {
    const text = ogText("zh-CN", "裂变商城", { inviter: "王*长", rebate: on });
    expect(text.badge).toBe("推三返一");
    expect(text.offer).toBe("邀请 3 位好友首单，订单全额返现");
    expect(text.footer).not.toContain("领取");
  });
});

describe("the site's description follows the rules in force", () => {
  it("the default campaign: 3 friends within 30 days, the order fully refunded in cash", () => {
    expect(siteDescription(zh, on)).toBe("好物低价，推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。");
  });

  it("another number of friends, a part refund, store credit, a cap", () => {
    expect(siteDescription(zh, { ...on, n: 5, percent: 50 })).toBe("好物低价，推三返一：下单后 30 天内邀请 5 位好友完成首单，你的订单返还 50%。");
    expect(siteDescription(zh, { ...on, payout: "credit" })).toBe("好物低价，推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返还，以购物金发放。");
    expect(siteDescription(en, { ...on, capFen: 5000 })).toBe(
      "Great goods at low prices. Refer 3, get it back: after you order, invite 3 friends to complete their first order within 30 days and get up to ¥50.00 back on your order.",
    );
  });

  it("switched off: no offer at all", () => {
    expect(siteDescription(zh, off)).toBe("精选正品好物，新人注册即可购物。");
    expect(siteDescription(en, off)).toBe("Handpicked genuine goods: sign up and start shopping.");
  });
});

describe("the landing's actions", () => {
  const render = (props: Partial<Parameters<typeof InviteActions>[0]>) => renderToString(createElement(InviteActions, { t: zh, viewer: "visitor", campaign: true, product: null, returnTo: "/r/ABC234?joined=1", ...props }));

  it("the sharer on their own link is sent to share it (/promote), not invited to sign up", () => {
    const html = render({ viewer: "own", product: { id: 5 } });
    expect(html).toContain('href="/promote"');
    expect(html).toContain("分享给好友");
    expect(html).toContain('href="/product/5"');
    expect(html).not.toContain("accept-invite");
    expect(html).not.toContain("/login");
  });

  it("a member while the campaign is off is asked to browse, not told an order takes part", () => {
    const html = render({ viewer: "member", campaign: false });
    expect(html).toContain("进店逛逛");
    expect(html).not.toContain("参与");
  });

  it("the primary pill grows with a wrapping label (English on a 320 px phone) and the text link is a 44 px target", () => {
    const html = renderToString(createElement(InviteActions, { t: en, viewer: "visitor", campaign: true, product: { id: 5 }, returnTo: "/product/5?joined=1" }));
    const classOf = (testId: string) => new RegExp(`class="([^"]*)"[^>]*data-testid="${testId}"`).exec(html)?.[1]?.split(" ") ?? [];
    expect(classOf("accept-invite")).toEqual(expect.arrayContaining(["min-h-12", "px-5"]));
    expect(classOf("accept-invite")).not.toContain("h-12");
    expect(classOf("landing-browse")).toContain("min-h-11");
  });
});
