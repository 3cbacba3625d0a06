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
    expect(localPath("/%2F%2Fevil.com")).toBe("/%2F%2Fevil.com");
    expect(localPath("/me#orders")).toBe("/me#orders");
  });

  it("returns the path as the URL parser reads it, dot segments resolved", () => {
    expect(localPath("/a/./b/../c?x=1#top")).toBe("/a/c?x=1#top");
    expect(localPath("/login/../orders")).toBe("/orders");
    expect(localPath("/../../orders")).toBe("/orders");
  });

  it("refuses dot segments that collapse to another host (\"//evil.com\")", () => {
    for (const bad of ["/.//evil.com", "/login/../..//evil.com", "/..//evil.com", "/a/b/../../..//evil.com", "/././/evil.com?x=1"]) {
      expect(localPath(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(localPath("/.//evil.com", "/me")).toBe("/me");
  });

  it("refuses anything a browser would take to another site", () => {
    for (const bad of ["//evil.com", "/\\evil.com", "/\t/evil.com", "/\n/evil.com", "/\r//evil.com", "\\/evil.com", "/ /evil.com", "https://evil.com", "javascript:alert(1)", "evil.com", "", "/\u0000x"]) {
      expect(localPath(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(localPath(undefined, "/me")).toBe("/me");
    expect(localPath(`/${"a".repeat(3000)}`)).toBe("/");
  });
});
