// The referral and visitor cookies are Secure whenever the site is served over https, decided as HSTS is
// (lib/security/headers.ts servedOverHttps): behind a TLS proxy that sends no X-Forwarded-Proto the request itself
// reaches us over plain http, and SITE_URL being https is what says so.
import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";

const jar = vi.hoisted(() => ({ values: new Map<string, string>(), set: [] as { name: string; value: string; secure?: boolean }[] }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({
    get: (name: string) => (jar.values.has(name) ? { name, value: jar.values.get(name)! } : undefined),
    set: (name: string, value: string, opts: { secure?: boolean }) => void jar.set.push({ name, value, secure: opts.secure }),
    delete: (name: string) => void jar.values.delete(name),
  }),
}));
const { proxy } = await import("@/proxy");
const { POST: forget } = await import("@/app/api/ref/forget/route");

afterEach(() => {
  vi.unstubAllEnvs();
  jar.values.clear();
  jar.set.length = 0;
});

/** The Set-Cookie line of `name`. */
function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

describe("fm_vid and fm_ref from the proxy", () => {
  it("are Secure when SITE_URL is https though the proxy reached us over plain http without X-Forwarded-Proto", async () => {
    vi.stubEnv("SITE_URL", "https://shop.example.com");
    const res = await proxy(new NextRequest("http://127.0.0.1:3000/r/ABC234"));
    expect(res.headers.get("strict-transport-security")).not.toBeNull();
    for (const name of ["fm_vid", "fm_ref"]) expect(setCookie(res, name), name).toMatch(/;\s*secure/i);
  });

  it("are not Secure on a plain-http site (development)", async () => {
    vi.stubEnv("SITE_URL", "http://127.0.0.1:3000");
    const res = await proxy(new NextRequest("http://127.0.0.1:3000/r/ABC234"));
    for (const name of ["fm_vid", "fm_ref"]) expect(setCookie(res, name), name).not.toMatch(/;\s*secure/i);
  });
});

describe("fm_ref put back by /api/ref/forget", () => {
  const visitedAtSec = Math.floor(Date.now() / 1000) - 3600;
  const forgetDeadLink = (site: string) => {
    vi.stubEnv("SITE_URL", site);
    jar.values.set("fm_ref", `DEAD23_${visitedAtSec + 60}`);
    jar.values.set("fm_ref_prev", `ABC234_${visitedAtSec}`);
    return forget(new Request("http://127.0.0.1:3000/api/ref/forget?code=DEAD23", { method: "POST", headers: { origin: site, "sec-fetch-site": "same-origin" } }));
  };

  it("is Secure when SITE_URL is https though the request came over plain http", async () => {
    expect((await forgetDeadLink("https://shop.example.com")).status).toBe(204);
    expect(jar.set).toEqual([{ name: "fm_ref", value: `ABC234_${visitedAtSec}`, secure: true }]);
  });

  it("is not Secure on a plain-http site", async () => {
    expect((await forgetDeadLink("http://127.0.0.1:3000")).status).toBe(204);
    expect(jar.set).toEqual([{ name: "fm_ref", value: `ABC234_${visitedAtSec}`, secure: false }]);
  });
});
