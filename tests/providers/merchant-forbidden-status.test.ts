// A back-office page a role may not open answers HTTP 403 (it was the 403 page with status 200): staffGate calls
// next/navigation's forbidden(), which experimental.authInterrupts (next.config.ts) turns into a 403 rendering
// app/merchant/forbidden.tsx, the same page as before naming the staff member's role.
import { isValidElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshPglite } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]), getLocale: async () => "zh-CN" }));
// What `next build` sets from experimental.authInterrupts (forbidden() refuses to run without it).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

let database: Database;
let operator: string;
let finance: string;
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  operator = (await signedInStaff(database.prisma, "operator")).token;
  finance = (await signedInStaff(database.prisma, "finance")).token;
}, 120_000);
afterAll(() => database.close());

describe("a back-office page the role may not open", () => {
  it("next.config.ts enables authInterrupts (else forbidden() throws an error: a 500)", async () => {
    const { default: config } = await import("../../next.config");
    expect(config.experimental?.authInterrupts).toBe(true);
  });

  it("staffGate interrupts with Next's 403 (not a page rendered with status 200)", async () => {
    const { staffGate } = await import("../../app/merchant/_components/staff");
    holder.staffToken = operator;
    await expect(staffGate("/merchant/withdrawals", "withdrawals")).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;403" });
    // The role that may open it passes.
    holder.staffToken = finance;
    expect((await staffGate("/merchant/withdrawals", "withdrawals")).role).toBe("finance");
  });

  it("the 403 page (app/merchant/forbidden.tsx) names the staff member's role, with the way back", async () => {
    const { default: MerchantForbidden } = await import("../../app/merchant/forbidden");
    const { Forbidden } = await import("../../app/merchant/_components/staff");
    holder.staffToken = operator;
    const node = await MerchantForbidden();
    expect(isValidElement(node) && node.type === Forbidden).toBe(true);
    const html = renderToStaticMarkup(await Forbidden((node as { props: { role: "operator" } }).props));
    expect(html).toContain('data-testid="forbidden"');
    expect(html).toContain("无权访问");
    expect(html).toContain("您的角色（运营）不能访问该页面");
    expect(html).toContain("返回工作台");
  });
});
