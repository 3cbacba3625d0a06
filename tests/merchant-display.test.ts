// The back office's wording of engine codes: the order timeline, the audit log's entries, a session's device,
// the simulator form's starting category mix and its "queued" notice, the rules' empty version history.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { I18nProvider } from "@/lib/i18n/client";
import { timelineText, type TimelineStep } from "@/app/merchant/orders/[id]/timeline";
import { CARRIER_CODES, carrierName } from "@/server/orders/shipping";
import { REFUND_REQUEST_STATUS_LABEL } from "@/server/aftersales/view";
import { PROJECTION_LABEL } from "@/server/rules/compliance";
import { auditActionLabel, auditChanges, auditFields } from "@/server/audit/display";
import { deviceLabel } from "@/app/merchant/_components/SessionsTable";
import { percentShares, shopCategoryMix } from "@/server/simulator/defaults";
import { showQueuedNotice } from "@/app/merchant/simulator/defaults";
import { RuleHistory } from "@/app/merchant/rules/RuleHistory";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const CJK = /[\u4e00-\u9fff]/;

describe("the merchant order timeline", () => {
  const steps: TimelineStep[] = [
    { kind: "created" },
    { kind: "paid", provider: "sandbox", providerTxnId: "seed-6" },
    { kind: "shipped", carrier: "SF", trackingNo: "SF1234567890" },
    { kind: "delivered" },
    { kind: "refund_requested", reason: "damaged", detail: "盒子压坏了" },
    { kind: "refund_approved", status: "APPROVED", rejectReason: null, auto: true },
    { kind: "refund_rejected", status: "REJECTED", rejectReason: "已签收超过 7 天", auto: false },
    { kind: "refunded", refundNo: "RF123" },
    { kind: "refunded", refundNo: "RF124", viaProvider: true },
    { kind: "refund_done", refundNo: "RF124" },
    { kind: "completed" },
    { kind: "cancelled" },
  ];

  it("keeps the Chinese wording it had, the provider by name and its transaction id beside it", () => {
    expect(steps.map((s) => timelineText(zh, s))).toEqual([
      { label: "提交订单", detail: null, reference: null },
      { label: "支付成功", detail: "沙箱支付（测试）", reference: "seed-6" },
      { label: "商家发货", detail: "顺丰速运", reference: "SF1234567890" },
      { label: "确认收货", detail: null, reference: null },
      { label: "申请退款", detail: "商品破损：盒子压坏了", reference: null },
      { label: REFUND_REQUEST_STATUS_LABEL.APPROVED, detail: "超时自动同意", reference: null },
      { label: REFUND_REQUEST_STATUS_LABEL.REJECTED, detail: "已签收超过 7 天", reference: null },
      { label: "退款成功", detail: null, reference: "RF123" },
      { label: "发起退款", detail: null, reference: "RF124" },
      { label: "退款成功", detail: null, reference: "RF124" },
      { label: "交易完成", detail: null, reference: null },
      { label: "订单已取消", detail: null, reference: null },
    ]);
    expect(timelineText(zh, { kind: "refund_requested", reason: "other", detail: null }).detail).toBe("其他");
  });

  it("is all English in English, the buyer's and merchant's own words aside", () => {
    const texts = steps.map((s) => timelineText(en, s));
    expect(texts[1]).toEqual({ label: "Paid", detail: "Sandbox (test)", reference: "seed-6" });
    expect(texts[2]).toEqual({ label: "Shipped", detail: "SF Express", reference: "SF1234567890" });
    expect(texts[4]!.detail).toBe("Damaged: 盒子压坏了");
    const own = new Set(["盒子压坏了", "已签收超过 7 天"]);
    for (const t of texts) for (const part of [t.label, t.detail?.replace(/盒子压坏了/, "")]) if (part && !own.has(part)) expect(part).not.toMatch(CJK);
  });

  it("names unknown providers and carriers by their code; the carriers' Chinese names are the shipping module's (one set of names)", () => {
    expect(timelineText(en, { kind: "paid", provider: "unionpay", providerTxnId: "U1" }).detail).toBe("unionpay");
    expect(timelineText(zh, { kind: "shipped", carrier: "XYZ", trackingNo: null })).toEqual({ label: "商家发货", detail: "XYZ", reference: null });
    for (const code of CARRIER_CODES) expect(timelineText(zh, { kind: "shipped", carrier: code, trackingNo: null }).detail).toBe(carrierName(code));
  });
});

describe("the projection badge", () => {
  it("says in Chinese what the compliance guard's label says", () => {
    expect(zh("projection.label")).toBe(PROJECTION_LABEL);
    expect(en("projection.label")).not.toMatch(CJK);
  });
});

describe("audit log entries", () => {
  it("name known actions and show unknown ones as they are", () => {
    expect(auditActionLabel(zh, "withdrawal.requested")).toBe("申请提现");
    expect(auditActionLabel(en, "staff.signed_in")).toBe("Signed in");
    expect(auditActionLabel(zh, "something.new")).toBe("something.new");
    expect(["member.deleted", "staff.invite_reissued", "withdrawal.payout_failure_confirmed"].map((a) => auditActionLabel(zh, a))).toEqual(["会员注销账号", "重发员工邀请（新的初始密码）", "确认打款失败（退回余额）"]);
    expect(["member.deleted", "staff.invite_reissued", "withdrawal.payout_failure_confirmed"].map((a) => auditActionLabel(en, a))).toEqual([
      "Member deleted their account",
      "Staff invitation resent (new initial password)",
      "Payout failure confirmed (returned to balance)",
    ]);
  });

  it("list the facts as label: value, fen as ¥ amounts grouped by thousands, without empty ones", () => {
    expect(auditFields(zh, "Asia/Shanghai", { feeFen: 0, amountFen: 250000, approvalsNeeded: 1 })).toEqual([
      { key: "feeFen", label: "手续费", value: "¥0.00" },
      { key: "amountFen", label: "金额", value: "¥2,500.00" },
      { key: "approvalsNeeded", label: "需审批人数", value: "1" },
    ]);
    expect(auditFields(en, "Asia/Shanghai", { ip: null, mfa: false, session: 3 }).map((f) => `${f.label}: ${f.value}`)).toEqual(["Two-step verified: No", "Session: 3"]);
    expect(auditFields(zh, "Asia/Shanghai", { via: "csv", custom: "x" }).map((f) => `${f.label}: ${f.value}`)).toEqual(["方式: csv", "custom: x"]);
    expect(auditFields(zh, "Asia/Shanghai", null)).toEqual([]);
    // A stored instant reads as Shanghai wall time: 16:01 UTC on 12-31 is 00:01 on 2027-01-01.
    expect(auditFields(zh, "Asia/Shanghai", { effectiveAt: "2026-12-31T16:01:04.132Z" }).map((f) => f.value)).toEqual(["2027-01-01 00:01:04"]);
    expect(auditFields(zh, "Asia/Shanghai", {})).toEqual([]);
  });

  it("show roles by their names only, and changes before → after", () => {
    expect(auditChanges(zh, "Asia/Shanghai", { role: "operator" }, { role: "finance" })).toEqual([{ key: "role", label: "角色", before: "运营", after: "财务" }]);
    expect(auditChanges(en, "Asia/Shanghai", null, { username: "owner", role: "owner" })).toEqual([
      { key: "username", label: "Username", after: "owner" },
      { key: "role", label: "Role", after: "Owner" },
    ]);
    expect(auditChanges(zh, "Asia/Shanghai", { ratesBps: null }, { ratesBps: [1000, 500, 250] })).toEqual([{ key: "ratesBps", label: "佣金比例", before: "—", after: "10% / 5% / 2.5%" }]);
    expect(auditChanges(zh, "Asia/Shanghai", { status: "PAID" }, { status: "PAID", carrier: "SF" })).toEqual([{ key: "carrier", label: "物流公司", after: "顺丰速运" }]);
  });

  it("name a status in the words of the entry's domain, and leave an unknown one as it is", () => {
    expect(auditChanges(zh, "Asia/Shanghai", { status: "PAID" }, { status: "SHIPPED" }, "order.ship")).toEqual([{ key: "status", label: "状态", before: "待发货", after: "待收货" }]);
    expect(auditChanges(en, "Asia/Shanghai", { status: "PENDING_APPROVAL" }, { status: "APPLIED" }, "adjustment.approved")).toEqual([
      { key: "status", label: "Status", before: "Awaiting approval", after: "Applied" },
    ]);
    expect(auditFields(zh, "Asia/Shanghai", { refundNo: "RF1", status: "SUCCESS" }, "payment.refund_confirmed").map((f) => f.value)).toEqual(["RF1", "退款成功"]);
    expect(auditFields(zh, "Asia/Shanghai", { status: "ABNORMAL" }, "payment.refund_failed").map((f) => f.value)).toEqual(["退款异常"]);
    expect(auditChanges(zh, "Asia/Shanghai", null, { status: "queued" }, "job.retried")).toEqual([{ key: "status", label: "状态", after: "已重新排队" }]);
    // The same code under another domain is not translated by a guess.
    expect(auditFields(zh, "Asia/Shanghai", { status: "APPLIED" }, "staff.invited").map((f) => f.value)).toEqual(["APPLIED"]);
    expect(auditFields(zh, "Asia/Shanghai", { status: "NEW_STATE" }, "order.ship").map((f) => f.value)).toEqual(["NEW_STATE"]);
  });
});

describe("a session's device", () => {
  const cases: [string, string][] = [
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome 131 · Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge 131 · Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Safari 17 · macOS"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox 128 · macOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome 126 · iOS"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17 · iOS"],
    [
      "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160083 MMWEBSDK/20240404 MMWEBID/1234 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
      "微信 · Android",
    ],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN", "微信 · iOS"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36 EdgA/131.0.2903.87", "Edge 131 · Android"],
    ["curl/8.5.0", "curl/8.5.0"],
  ];
  it.each(cases)("%s → %s", (ua, label) => expect(deviceLabel(zh, ua)).toBe(label));
  it("says WeChat in English", () => expect(deviceLabel(en, cases[6]![0])).toBe("WeChat · Android"));
});

describe("the simulator form", () => {
  const categories = [
    { slug: "tea", name: "茶" },
    { slug: "digital", name: "数码" },
    { slug: "home-towel", name: "家居日用" },
    { slug: "empty", name: "空类目" },
  ];

  it("starts from the shop's categories: mean price, shares by units sold summing to 100", () => {
    const products = [
      { category: "tea", priceFen: 10000, soldQty: 2 },
      { category: "tea", priceFen: 20001, soldQty: 1 },
      { category: "digital", priceFen: 59900, soldQty: 6 },
      { category: "home-towel", priceFen: 5900, soldQty: 0 },
      { category: "gone", priceFen: 100, soldQty: 99 },
    ];
    expect(shopCategoryMix(categories, products)).toEqual([
      { category: "digital", price: "599.00", weight: 67 },
      { category: "tea", price: "150.01", weight: 33 },
      { category: "home-towel", price: "59.00", weight: 0 },
    ]);
  });

  it("weights by the number of products before anything has sold, and keeps at most 8 usable codes", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ slug: `c${i}`, name: `类目${i}` }));
    const mix = shopCategoryMix([...many, { slug: "a".repeat(21), name: "长" }], [...many, { slug: "a".repeat(21) }].map((c) => ({ category: c.slug, priceFen: 100, soldQty: 0 })));
    expect(mix).toHaveLength(8);
    expect(mix.map((m) => m.category)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"]);
    expect(mix.reduce((s, m) => s + m.weight, 0)).toBe(100);
    expect(shopCategoryMix(categories, [])).toEqual([]);
    expect(percentShares([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentShares([0, 0])).toEqual([0, 0]);
  });

  it("says 'queued' only while the run it queued waits", () => {
    expect(showQueuedNotice(null, [])).toBe(false);
    expect(showQueuedNotice(7, [])).toBe(true);
    expect(showQueuedNotice(7, [{ id: 7, status: "QUEUED" }])).toBe(true);
    expect(showQueuedNotice(7, [{ id: 7, status: "RUNNING" }])).toBe(false);
    expect(showQueuedNotice(7, [{ id: 7, status: "DONE" }, { id: 6, status: "QUEUED" }])).toBe(false);
    expect(showQueuedNotice(7, [{ id: 7, status: "FAILED" }])).toBe(false);
  });
});

describe("the rules' version history", () => {
  it("explains, when there is no version yet, that saving the rules creates the first", () => {
    const html = renderToString(createElement(I18nProvider, { locale: "zh-CN", messages: MESSAGES["zh-CN"], children: createElement(RuleHistory, { versions: [] }) }));
    expect(html).toContain('data-testid="rule-history-empty"');
    expect(html).toContain("保存一次规则，就会生成第一个版本");
  });
});
