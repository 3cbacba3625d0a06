// The anonymous visitor cookie of a share link lives a day (it only tells a reload from a new visit, within 30 minutes),
// not a year; the referral cookie keeps the longest attribution window (the proxy reads no rules).
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

const setCookie = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

describe("cookies set on a share link", () => {
  it("fm_vid: Max-Age one day (86 400 s); fm_ref: 30 days (2 592 000 s)", async () => {
    const res = await proxy(new NextRequest("http://127.0.0.1:3000/r/ABC234"));
    expect(setCookie(res, "fm_vid")).toMatch(/;\s*Max-Age=86400(;|$)/i);
    expect(setCookie(res, "fm_ref")).toMatch(/;\s*Max-Age=2592000(;|$)/i);
  });
});
