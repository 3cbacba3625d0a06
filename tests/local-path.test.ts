// Post-sign-in destinations (/login?callbackUrl=…, /login/wechat): a path on this site or the fallback.
import { describe, expect, it } from "vitest";
import { localPath } from "../lib/security/local-path";

describe("localPath", () => {
  it("keeps a path on this site, with its query", () => {
    expect(localPath("/orders")).toBe("/orders");
    expect(localPath("/product/5?joined=1")).toBe("/product/5?joined=1");
    expect(localPath(["/r/ABC?joined=1", "/x"])).toBe("/r/ABC?joined=1");
    // Percent-encoded characters stay inside the path: "/%09/evil.com" is a path on this site.
    expect(localPath("/%09/evil.com")).toBe("/%09/evil.com");
  });

  it("refuses anything a browser would take to another site", () => {
    for (const bad of ["//evil.com", "/\\evil.com", "/\t/evil.com", "/\n/evil.com", "/\r//evil.com", "\\/evil.com", "/ /evil.com", "https://evil.com", "javascript:alert(1)", "evil.com", "", "/\u0000x"]) {
      expect(localPath(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(localPath(undefined, "/me")).toBe("/me");
    expect(localPath(`/${"a".repeat(3000)}`)).toBe("/");
  });
});
