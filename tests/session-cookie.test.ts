// Public tRPC queries skip session decoding when the request carries no next-auth session cookie.
import { describe, expect, it } from "vitest";
import { hasSessionCookie } from "../server/auth";

describe("hasSessionCookie", () => {
  it("finds next-auth's session cookie, plain, secure or chunked, and nothing else", () => {
    expect(hasSessionCookie(null)).toBe(false);
    expect(hasSessionCookie("fm_vid=abc; fm_ref=XYZ")).toBe(false);
    expect(hasSessionCookie("next-auth.csrf-token=1; next-auth.callback-url=x")).toBe(false);
    expect(hasSessionCookie("fake-next-auth.session-token=1")).toBe(false);
    expect(hasSessionCookie("next-auth.session-token=eyJ")).toBe(true);
    expect(hasSessionCookie("a=1; __Secure-next-auth.session-token=eyJ")).toBe(true);
    expect(hasSessionCookie("a=1;next-auth.session-token.0=eyJ; next-auth.session-token.1=x")).toBe(true);
  });
});
