// The root layout reads the merchant's configured time zone (the rules' timeZone) and hands it to client components,
// so a back-office date is on the merchant's clock in the server's HTML (and the browser's, from the same value):
// a rule version scheduled for 2026-12-10 00:00 in Tokyo shows as such, not as Shanghai's 2026-12-09 23:00.
// In tests/providers/ because it mocks modules: vitest.config.ts gives that folder's files their own modules.
import { createElement, type ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshPglite } from "../helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"] }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/lib/i18n/server", () => ({
  getLocale: async () => "zh-CN",
  getMessages: async () => MESSAGES["zh-CN"],
  getT: async () => createT("zh-CN", MESSAGES["zh-CN"]),
}));

const { default: RootLayout } = await import("../../app/layout");
const { RuleHistory } = await import("../../app/merchant/rules/RuleHistory");

let database: Database;
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
});
afterAll(() => database.close());

// Scheduled for 2026-12-10 00:00 Tokyo (UTC+9) = 2026-12-09T15:00Z; saved 2026-12-05T01:30Z = 10:30 Tokyo, 09:30 Shanghai.
const VERSION = { version: 2, state: "scheduled", effectiveAt: new Date("2026-12-09T15:00:00Z"), author: "店长", reason: "调整", createdAt: new Date("2026-12-05T01:30:00Z") };

async function html(children: ReactNode): Promise<string> {
  const stream = await renderToReadableStream(await RootLayout({ children }));
  await stream.allReady;
  return (await new Response(stream).text()).replaceAll("<!-- -->", "");
}

const cells = (page: string) => [...(/data-testid="rule-version-2"[\s\S]*?<\/tr>/.exec(page)?.[0] ?? "").matchAll(/tabular-nums">([^<]*)</g)].map((m) => m[1]);

describe("the root layout's time zone", () => {
  it("nothing configured: Asia/Shanghai", async () => {
    expect(cells(await html(createElement(RuleHistory, { versions: [VERSION as never] })))).toEqual(["2026-12-09 23:00", "2026-12-05 09:30"]);
  });

  it("configured Asia/Tokyo: the rule history shows the merchant's own clock", async () => {
    await database.prisma.mallConfig.create({ data: { data: { timeZone: "Asia/Tokyo" } } });
    expect(cells(await html(createElement(RuleHistory, { versions: [VERSION as never] })))).toEqual(["2026-12-10 00:00", "2026-12-05 10:30"]);
  });
});
