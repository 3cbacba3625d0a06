// 关闭两步验证 on the back office's account page (app/merchant/account): offered only to roles that may go without
// TOTP (owners and finance must keep it: a one-line note instead), asking for the current password, a wrong one told
// beside the field and other refusals under the form.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { createT, type Locale } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { totpOffControl, totpOffForm, totpOffRefusalField } from "@/app/merchant/account/totp-off";
import { AccountSecurity } from "@/app/merchant/account/AccountSecurity";
import type { StaffRole } from "@/server/staff/roles";
import { renderInProviders } from "./helpers/render";

const tr = (locale: Locale) =>
  createT(locale, MESSAGES[locale], (key) => {
    throw new Error(`message "${key}" is not in the ${locale} catalogue`);
  });

describe("which TOTP control a role gets", () => {
  it("owners and finance get the note while TOTP is on; the other roles the control", () => {
    const on = (role: StaffRole) => totpOffControl(role, true);
    expect([on("owner"), on("finance")]).toEqual(["required", "required"]);
    expect([on("operator"), on("risk"), on("support")]).toEqual(["form", "form", "form"]);
  });

  it("nothing while TOTP is off, whatever the role", () => {
    expect((["owner", "operator", "finance", "risk", "support"] as const).map((r) => totpOffControl(r, false))).toEqual([null, null, null, null, null]);
  });
});

describe("the password form", () => {
  it("asks for the password in the page's language", () => {
    expect(totpOffForm(tr("zh-CN")).safeParse({ password: "" }).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["password", "请输入当前密码"]]);
    expect(totpOffForm(tr("en")).safeParse({ password: "" }).error?.issues[0]?.message).toBe("Enter your current password");
  });

  it("sends the password as typed (spaces are part of a password)", () => {
    expect(totpOffForm(tr("zh-CN")).parse({ password: " pass word " })).toEqual({ password: " pass word " });
  });

  it("puts a wrong password beside the field and every other refusal under the form", () => {
    expect(totpOffRefusalField("WRONG_PASSWORD")).toBe("password");
    expect(["LOCKED", "MFA_REQUIRED", "TOTP_REQUIRED", null, undefined].map(totpOffRefusalField)).toEqual(["root", "root", "root", "root", "root"]);
  });
});

describe("the account page's TOTP card", () => {
  const me = (role: StaffRole, totpEnabledAt: Date | null) => ({
    id: 7,
    username: "u7",
    displayName: "测试",
    role,
    mustChangePassword: false,
    totpEnabledAt,
    failedAttempts: 0,
    lockedUntil: null,
    totpLockedUntil: null,
    disabledAt: null,
    createdAt: new Date("2026-12-01T00:00:00Z"),
    lastSignInAt: null,
    sessionId: 1,
    ready: true,
    pending: null,
  });
  const card = (role: StaffRole, totpEnabledAt: Date | null, locale: Locale = "zh-CN") =>
    renderInProviders(createElement(AccountSecurity), locale, (trpc, qc) => qc.setQueryData(trpc.staffAccount.me.queryKey(), me(role, totpEnabledAt) as never)).html;
  const enrolled = new Date("2026-12-02T08:00:00Z");

  it("offers an operator with TOTP the button to turn it off", () => {
    const html = card("operator", enrolled);
    expect(html).toContain("关闭两步验证");
    expect(html).not.toContain('data-testid="totp-required"');
    expect(card("support", enrolled, "en")).toContain("Turn off two-step verification");
  });

  it("tells an owner or finance why it cannot be turned off, with no button", () => {
    for (const [role, name] of [["owner", "店主"], ["finance", "财务"]] as const) {
      const html = card(role, enrolled);
      expect(html).not.toContain("关闭两步验证");
      expect(html).toContain(`${name}角色必须启用两步验证，不能关闭。`);
    }
    expect(card("finance", enrolled, "en")).toContain("The Finance role must keep two-step verification on; it cannot be turned off.");
  });

  it("shows neither while TOTP is off", () => {
    const html = card("operator", null);
    expect(html).not.toContain("关闭两步验证");
    expect(html).not.toContain('data-testid="totp-required"');
    expect(html).toContain("绑定身份验证器");
  });
});
