// The dev SMS outbox's page /dev/sms exists only while the outbox is the configured SMS sender: never
// beside a real SMS vendor, and in a production build only for a test run's token. The page checks
// this itself (not only proxy.ts), so a proxy matcher mistake cannot open it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import type { ReactElement } from "react";
import type { Database } from "../../server/db";
import { DevOutboxSmsProvider } from "../../server/sms/dev-outbox";
import { TEST_TOKEN_HEADER } from "../../server/test-doors";
import { devOutboxEnabled } from "../../server/sms";
import { freshDatabase } from "../helpers/db";

const holder = vi.hoisted(() => ({ db: null as unknown, headers: new Headers() }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({ ...(await importOriginal<object>()), headers: async () => holder.headers }));
const { default: DevSmsPage } = await import("../../app/dev/sms/page");
const { proxy } = await import("../../proxy");
const { NextRequest } = await import("next/server");

const TOKEN = "t".repeat(40);
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  await new DevOutboxSmsProvider(database.prisma).send({ phone: "13800138000", phoneHash: "h", phoneMasked: "138****8000", body: "验证码 123456" });
});
afterAll(() => database.close());
afterEach(() => vi.unstubAllEnvs());

function setEnv(env: Record<string, string | undefined>) {
  for (const name of ["NODE_ENV", "SMS_PROVIDER", "DEV_OUTBOX", "FM_TEST_TOKEN"]) vi.stubEnv(name, env[name]);
}

/** The page's HTML, or "404" when it called notFound(). */
async function page(token?: string): Promise<string> {
  holder.headers = new Headers(token ? { [TEST_TOKEN_HEADER]: token } : {});
  try {
    return renderToStaticMarkup((await DevSmsPage()) as ReactElement);
  } catch (e) {
    if ((e as { digest?: string }).digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "404";
    throw e;
  }
}

async function proxyStatus(token?: string): Promise<number> {
  return (await proxy(new NextRequest("http://x/dev/sms", { headers: token ? { [TEST_TOKEN_HEADER]: token } : {} }))).status;
}

describe("/dev/sms", () => {
  it("lists the outbox in development while the outbox is the sender (SMS_PROVIDER unset or outbox)", async () => {
    for (const SMS_PROVIDER of [undefined, "outbox"]) {
      setEnv({ NODE_ENV: "development", SMS_PROVIDER });
      expect(await page()).toContain("验证码 123456");
      expect(await proxyStatus()).toBe(200);
    }
  });

  it("does not exist beside a real SMS vendor, in development or in a production test run", async () => {
    setEnv({ NODE_ENV: "development", SMS_PROVIDER: "tencent" });
    expect(await page()).toBe("404");
    expect(await proxyStatus()).toBe(404);
    // The login pages' link to it follows (they show it when devOutboxEnabled()).
    expect(devOutboxEnabled()).toBe(false);
    setEnv({ NODE_ENV: "production", SMS_PROVIDER: "tencent", DEV_OUTBOX: "1", FM_TEST_TOKEN: TOKEN });
    expect(await page(TOKEN)).toBe("404");
    expect(await proxyStatus(TOKEN)).toBe(404);
    // A misspelt or empty setting is not the outbox either (the app would refuse to send with it).
    setEnv({ NODE_ENV: "development", SMS_PROVIDER: "" });
    expect(await page()).toBe("404");
  });

  it("in production exists only for a test run's token with the outbox as sender", async () => {
    setEnv({ NODE_ENV: "production", SMS_PROVIDER: "outbox" });
    expect(await page()).toBe("404");
    setEnv({ NODE_ENV: "production", SMS_PROVIDER: "outbox", DEV_OUTBOX: "1", FM_TEST_TOKEN: TOKEN });
    expect(await page()).toBe("404");
    expect(await page("wrong")).toBe("404");
    expect(await page(TOKEN)).toContain("验证码 123456");
  });
});
