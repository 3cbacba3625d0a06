// The audit log's action and target filters (the same filters its CSV export takes) offer their choices in words:
// every named action under its group ("staff." → 员工：全部, which the filter takes as a prefix), every target kind
// ("order:" → 订单：全部) and the targets named whole; a value from the URL the list lacks stays chosen, in words.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { auditActionOptions, auditTargetOptions } from "@/server/audit/display";
import { auditFilterCodes } from "@/server/audit/query";
import { AuditLogView } from "@/app/merchant/audit/AuditLogView";
import { renderInProviders } from "./helpers/render";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

/** A select's options as [value, text], from rendered HTML. */
function selectOptions(html: string, name: string): [string, string][] {
  const select = new RegExp(`<select name="${name}"[^>]*>(.*?)</select>`, "s").exec(html);
  expect(select, name).not.toBeNull();
  const decode = (s: string) => s.replace(/&amp;/g, "&").replace(/&#x27;/g, "'");
  return [...select![1]!.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [decode(m[1]!), decode(m[2]!)]);
}

describe("the audit log's filters", () => {
  it("know the named actions, the target kinds and the targets named whole from the catalogue", () => {
    const codes = auditFilterCodes();
    expect(codes.actions).toEqual(expect.arrayContaining(["order.ship", "staff.invited", "withdrawal.paid", "shop.profile_updated", "member.deleted", "staff.invite_reissued", "withdrawal.payout_failure_confirmed"]));
    expect(codes.kinds).toEqual(expect.arrayContaining(["order", "member", "staff", "withdrawal"]));
    expect(codes.kinds).not.toContain("exportList");
    expect(codes.named).toEqual(expect.arrayContaining(["shop:profile", "config:money"]));
  });

  it("offer each action group, then its actions, by name", () => {
    expect(auditActionOptions(zh, ["withdrawal.paid", "staff.invited", "order.ship"])).toEqual([
      { value: "", label: "全部操作" },
      { value: "order.", label: "订单：全部" },
      { value: "order.ship", label: "订单发货" },
      { value: "staff.", label: "员工：全部" },
      { value: "staff.invited", label: "邀请员工" },
      { value: "withdrawal.", label: "提现：全部" },
      { value: "withdrawal.paid", label: "提现已到账" },
    ]);
    // An action the list lacks, from the URL: in words where it has them.
    expect(auditActionOptions(en, ["order.ship"], "member.frozen").at(-1)).toEqual({ value: "member.frozen", label: "Member frozen" });
    expect(auditActionOptions(en, ["order.ship"], "staff.").at(-1)).toEqual({ value: "staff.", label: "Staff: all" });
  });

  it("offer each target kind as a whole and the targets named whole; one target from the URL by its name", () => {
    expect(auditTargetOptions(zh, ["order", "member"], ["shop:profile"])).toEqual([
      { value: "", label: "全部对象" },
      { value: "order:", label: "订单：全部" },
      { value: "member:", label: "会员：全部" },
      { value: "shop:profile", label: "店铺资料" },
    ]);
    expect(auditTargetOptions(zh, ["order"], [], "member:12").at(-1)).toEqual({ value: "member:12", label: "会员 #12" });
  });

  it("on the page: selects whose every choice is in words, with the URL's filters chosen", () => {
    const view = createElement(AuditLogView, { codes: auditFilterCodes() });
    const page = createElement(SearchParamsContext.Provider, { value: new URLSearchParams("action=staff.&target=member:12") as never }, view);
    const { html } = renderInProviders(page, "en");
    expect(html).not.toMatch(/<input[^>]*name="(action|target)"/);
    const code = /^[a-zA-Z]+([.:][a-zA-Z_:0-9]*)+$/;
    for (const name of ["action", "target"]) {
      const options = selectOptions(html, name);
      expect(options.length).toBeGreaterThan(10);
      for (const [value, text] of options) {
        expect(text, value).not.toBe(value);
        expect(text, value).not.toMatch(code);
      }
    }
    expect(selectOptions(html, "action")).toContainEqual(["staff.", "Staff: all"]);
    expect(selectOptions(html, "target")).toContainEqual(["member:12", "Member #12"]);
    expect(html).toMatch(/<option value="staff\." selected="">/);
  });
});
