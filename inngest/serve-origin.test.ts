// The URL Inngest is told to call at a sync (PUT /api/inngest): behind a TLS proxy the request reaching the app is plain
// http to an internal host, and the SDK would register that; with serveOrigin it registers the shop's public origin.
import { describe, expect, it } from "vitest";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import { inngestServeOrigin } from "./serve-origin";

/** Syncs through the real serve handler (request as the proxy forwards it); the URL it registers with Inngest. */
async function registeredUrl(serveOrigin: string | undefined): Promise<string> {
  let body: { url?: string } = {};
  const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
    body = JSON.parse(String(init?.body));
    return new Response(JSON.stringify({ ok: true, modified: true }), { status: 200 });
  }) as typeof fetch;
  const client = new Inngest({ id: "fission-mall", isDev: false, fetch: fetchStub, signingKey: `signkey-prod-${"ab".repeat(32)}` });
  const { PUT } = serve({ client, functions: [], serveOrigin });
  const res = await (PUT as unknown as (req: Request, ctx: unknown) => Promise<Response>)(
    new Request("http://10.0.0.7:3000/api/inngest", { method: "PUT", headers: { host: "10.0.0.7:3000" } }),
    {},
  );
  expect(res.status).toBe(200);
  return body.url ?? "";
}

describe("Inngest serve origin", () => {
  it("is the shop's public origin (SITE_URL, else NEXTAUTH_URL), so a sync behind a TLS proxy registers the https URL", async () => {
    expect(await registeredUrl(undefined)).toBe("http://10.0.0.7:3000/api/inngest"); // what the SDK infers behind the proxy
    expect(inngestServeOrigin({ SITE_URL: "https://shop.example.com/" })).toBe("https://shop.example.com");
    expect(inngestServeOrigin({ NEXTAUTH_URL: "https://shop.example.com/api/auth" })).toBe("https://shop.example.com");
    expect(await registeredUrl(inngestServeOrigin({ SITE_URL: "https://shop.example.com" }))).toBe("https://shop.example.com/api/inngest");
  });

  it("leaves the SDK's own INNGEST_SERVE_ORIGIN in charge when set, and infers as before when nothing is configured", () => {
    expect(inngestServeOrigin({ SITE_URL: "https://shop.example.com", INNGEST_SERVE_ORIGIN: "https://inngest-in.example.com" })).toBe("https://inngest-in.example.com");
    expect(inngestServeOrigin({})).toBeUndefined();
  });
});
