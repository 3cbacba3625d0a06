// The 用户协议 page as an English shopper sees it: the shop's English text when saved, the default English while the
// shop has no text of its own, the shop's Chinese text with a note that it applies when only that was saved; the shop's
// English text with a note that the Chinese applies and when it changed, once the Chinese changed after it.
import { renderToReadableStream } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { defaultLegalText } from "../../server/legal/defaults";
import { saveLegalDocument } from "../../server/legal/documents";
import { freshPglite } from "../helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"] }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("en", MESSAGES.en), getLocale: async () => "en" }));

const { LegalPage } = await import("../../app/legal/LegalPage");

const OWNER = { staffId: 1, requestId: "req-legal-page" };
let database: Database;
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
});
afterAll(() => database?.close());

/** The page's HTML (AppShell is an async component: a stream renders it). */
async function render(): Promise<string> {
  const stream = await renderToReadableStream(await LegalPage({ kind: "terms" }));
  await stream.allReady;
  return new Response(stream).text();
}
/** The note, as the page's HTML has it (apostrophes escaped). */
const NOTE = MESSAGES.en["legal.chineseApplies"].replaceAll("'", "&#x27;");
/** The rendered Markdown's first heading (the document's title). */
const heading = (html: string) => /<h[1-3][^>]*>([^<]*)<\/h[1-3]>/g.exec(html.slice(html.indexOf('data-testid="legal-document"')))?.[1];

describe("the terms page in English", () => {
  it("shows the default English, then the shop's Chinese with the note, then the shop's English", async () => {
    let html = await render();
    expect(heading(html)).toBe(/^# (.*)$/m.exec(defaultLegalText("terms", "en", "Fission Mall"))![1]);
    expect(html).not.toContain(NOTE);

    await saveLegalDocument(database.prisma, OWNER, { kind: "terms", locale: "zh-CN", body: "# 本店用户协议\n\n以中文版为准。", baseVersion: 1 });
    html = await render();
    expect(heading(html)).toBe("本店用户协议");
    expect(html).toContain(NOTE);

    await saveLegalDocument(database.prisma, OWNER, { kind: "terms", locale: "en", body: "# Our Terms\n\nOur translation.", baseVersion: 2 });
    html = await render();
    expect(heading(html)).toBe("Our Terms");
    expect(html).not.toContain(NOTE);
  });

  it("notes, above the shop's English text, that the Chinese is binding and when it changed, until the English is saved again", async () => {
    // 2026-12-03 17:30 UTC is 2026-12-04 in the shop's time zone (Asia/Shanghai).
    await saveLegalDocument(database.prisma, OWNER, { kind: "terms", locale: "zh-CN", body: "# 本店用户协议\n\n以中文版为准。第二条。", baseVersion: 3 }, new Date("2026-12-03T17:30:00Z"));
    let html = await render();
    expect(heading(html)).toBe("Our Terms");
    expect(html).toContain("The Chinese version of this document is binding and was updated on 2026-12-04: this English translation may not reflect that update yet.");

    await saveLegalDocument(database.prisma, OWNER, { kind: "terms", locale: "en", body: "# Our Terms\n\nOur translation, article 2.", baseVersion: 4 });
    html = await render();
    expect(html).not.toContain("The Chinese version of this document is binding");
  });
});
