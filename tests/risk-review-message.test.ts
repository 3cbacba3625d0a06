// 风控审核 of a member with no open flag (another reviewer decided first): the refusal reads in Chinese on a zh-CN page,
// which shows the server's own message (lib/i18n/labels.ts errorText), and in English on an English page, by its code
// NO_OPEN_FLAG — through tRPC's fetch adapter as /api/trpc serves it.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { appRouter } from "../server/api/root";
import type { TRPCContext } from "../server/api/trpc";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { STAFF_COOKIE } from "../server/staff/sessions";
import { createT } from "../lib/i18n/core";
import { en } from "../lib/i18n/messages/en";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { errorText, type ServerError } from "../lib/i18n/labels";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

let database: Database;
let member: number;
let token: string;

beforeAll(async () => {
  database = await freshPglite();
  const config = parseConfig({});
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  member = (await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "unflagged" }))).id;
  token = (await signedInStaff(database.prisma, "owner")).token;
});
afterAll(() => database.close());

/** merchantRisk.review as the risk case page posts it; the answer's error. */
async function reviewRefused(input: unknown): Promise<ServerError> {
  const headers = new Headers({ host: "127.0.0.1:3110", cookie: `${STAFF_COOKIE}=${token}`, "content-type": "application/json" });
  const ctx: TRPCContext = { db: database.prisma, session: null, headers, staffToken: token, requestId: "test-risk-message" };
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request("http://127.0.0.1:3110/api/trpc/merchantRisk.review", { method: "POST", headers: Object.fromEntries(headers), body: JSON.stringify({ json: input }) }),
    router: appRouter,
    createContext: () => ctx,
  });
  expect(res.status).toBe(400);
  return ((await res.json()) as { error: { json: ServerError } }).error.json;
}

describe("reviewing a member with no open risk flag", () => {
  it("is refused in Chinese on the zh-CN page and in English on the English page; nothing decided", async () => {
    const e = await reviewRefused({ memberId: member, decision: "approve" });
    expect(e.data?.domainCode).toBe("NO_OPEN_FLAG");
    expect(errorText(createT("zh-CN", zhCN), e)).toBe("该会员没有待处理的风控标记");
    expect(errorText(createT("en", en), e)).toBe("This member has no open risk flag");
    expect(await database.prisma.auditLog.count({ where: { action: { startsWith: "risk." } } })).toBe(0);
  });
});
