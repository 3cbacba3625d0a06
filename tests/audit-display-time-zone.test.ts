// An instant inside an audit entry (a rule version's 生效时间, stored as ISO JSON) reads on the merchant's configured
// clock, the same one the entry's own time on /merchant/audit uses, not always Asia/Shanghai's. Expected strings are
// worked out by hand from each zone's UTC offset: 2026-12-01T15:30:00Z is 23:30 in Shanghai (+8), 00:30 on 12-02 in Tokyo (+9).
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { TimeZoneProvider } from "@/lib/time-zone";
import { AuditLogView } from "@/app/merchant/audit/AuditLogView";
import { auditFilterCodes } from "@/server/audit/query";
import { auditChanges, auditFields } from "@/server/audit/display";
import { renderInProviders } from "./helpers/render";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const EFFECTIVE_AT = "2026-12-01T15:30:00.000Z";

describe("auditFields / auditChanges in the merchant's zone", () => {
  it("a rules.version_created entry's 生效时间 is Tokyo wall time in Tokyo, Shanghai's in Shanghai", () => {
    const data = { reason: "r", effectiveAt: EFFECTIVE_AT };
    expect(auditFields(zh, "Asia/Tokyo", data, "rules.version_created").map((f) => `${f.label}: ${f.value}`)).toEqual(["原因: r", "生效时间: 2026-12-02 00:30:00"]);
    expect(auditFields(zh, "Asia/Shanghai", data, "rules.version_created").find((f) => f.key === "effectiveAt")?.value).toBe("2026-12-01 23:30:00");
  });

  it("before → after, nested objects and lists carry the zone too", () => {
    // 2026-07-01T06:59:30Z is 23:59:30 on 06-30 in Los Angeles (PDT, UTC-7).
    expect(auditChanges(zh, "America/Los_Angeles", { effectiveAt: EFFECTIVE_AT }, { effectiveAt: "2026-07-01T06:59:30Z" })).toEqual([
      { key: "effectiveAt", label: "生效时间", before: "2026-12-01 07:30:00", after: "2026-06-30 23:59:30" },
    ]);
    expect(auditFields(zh, "Asia/Tokyo", { version: { effectiveAt: EFFECTIVE_AT }, at: [EFFECTIVE_AT] }).map((f) => f.value)).toEqual([
      "生效时间: 2026-12-02 00:30:00",
      "2026-12-02 00:30:00",
    ]);
  });
});

describe("/merchant/audit", () => {
  it("shows the entry's 生效时间 on the same clock as its own time (the provided zone)", () => {
    const row = {
      id: 1,
      createdAt: new Date("2026-12-01T15:00:00Z"),
      actorType: "staff",
      actorId: "1",
      actorName: "owner",
      actorDisplayName: "店主",
      action: "rules.version_created",
      target: "rules:7",
      before: null,
      after: null,
      data: { effectiveAt: EFFECTIVE_AT },
      requestId: null,
    };
    const view = createElement(SearchParamsContext.Provider, { value: new URLSearchParams() as never }, createElement(AuditLogView, { codes: auditFilterCodes() }));
    const { html } = renderInProviders(createElement(TimeZoneProvider, { timeZone: "Asia/Tokyo", children: view }), "zh-CN", (trpc, qc) =>
      qc.setQueryData(trpc.merchantAudit.list.queryKey({ page: 1, pageSize: 20, sort: { id: "createdAt", desc: true } }), { total: 1, rows: [row] } as never),
    );
    const text = html.replaceAll("<!-- -->", "");
    // The row's own time: 15:00Z is 00:00 on 12-02 in Tokyo (date and time in their own spans: DateTimeText).
    expect(text.replace(/<[^>]+>/g, "")).toContain("2026-12-02 00:00:00");
    expect(text).toContain(">2026-12-02 00:30:00<");
    expect(text).not.toContain("2026-12-01 23:30:00");
  });
});
