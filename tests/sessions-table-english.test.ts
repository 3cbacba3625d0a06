// The signed-in devices table on the first sign-in's narrow account page: "Sign out device" did not fit and was cut
// off ("Sign out de…"). The row shows the short word (the full name stays the button's accessible name), the
// device may wrap, and the action is not held on one line; the dates and headings are.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { SessionsTable } from "@/app/merchant/_components/SessionsTable";
import { renderInProviders } from "./helpers/render";

const at = new Date("2026-12-06T13:54:00Z");
const sessions = [
  { id: 1, createdAt: at, lastSeenAt: at, ip: null, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36", active: true },
  { id: 2, createdAt: at, lastSeenAt: at, ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36", active: true },
];
const table = (locale: "en" | "zh-CN") => renderInProviders(createElement(SessionsTable, { sessions, currentId: 1, onRevoke: () => {} }), locale).html;
const revokeButton = (html: string) => /<button[^>]*aria-label="([^"]*)"[^>]*>([^<]*)<\/button>/.exec(html);

describe("the devices table's action", () => {
  it("English: the short word shown, the full name for assistive technology", () => {
    const m = revokeButton(table("en"));
    expect([m?.[1], m?.[2]]).toEqual(["Sign out device", "Sign out"]);
  });

  it("Chinese reads as before", () => {
    const m = revokeButton(table("zh-CN"));
    expect([m?.[1], m?.[2]]).toEqual(["强制下线", "强制下线"]);
  });

  it("only the dates, the IP, the status and the headings are kept on one line; the table as a whole may wrap", () => {
    const html = table("en");
    expect(html).toMatch(/<table class="min-w-full text-left text-sm">/);
    const actionCell = /<td class="([^"]*)"><button/.exec(html)?.[1];
    expect(actionCell).not.toContain("whitespace-nowrap");
  });
});
