// The matrix card's note (SPEC §3, §4): spillover ("先来的会员获得后来者的滑落") is a gain only where matrix seats earn
// commissions (commission.tree = "matrix"); under the default sponsor tree commissions follow who invited whom, and with
// commissions off seats earn nothing. The width is the configured one, not always 3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { myTeam } from "../server/promotion";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { matrixDescription } from "../app/promote/tier-text";
import { freshPglite } from "./helpers/db";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
let alice: number;

beforeAll(async () => {
  database = await freshPglite();
  alice = (await inTx(database.prisma, { config: parseConfig({}), now: new Date() }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
}, 180_000);
afterAll(() => database?.close());

const note = async (input: Parameters<typeof parseConfig>[0]) => matrixDescription(zh, (await myTeam(database.prisma, parseConfig(input), alice)).matrixInfo);

describe("matrix card note by the commission tree", () => {
  it("default (sponsor tree): the member's own matrix below their seat, commissions by who invited whom, no spillover gain", async () => {
    const text = await note({});
    expect(text).toBe("每个席位下 3 个位置，按注册顺序逐层从左到右排满，这里展示你席位下方各层的排位（其中可能有别人邀请的会员）；佣金按邀请关系（谁邀请了谁）计算，与排位无关。");
    expect(text).not.toContain("滑落");
  });

  it("matrix tree: the spillover sentence, with the configured width", async () => {
    expect(await note({ commission: { tree: "matrix" }, matrix: { width: 4 } })).toBe("每个席位下 4 个位置，按注册顺序逐层从左到右排满，先来的会员获得后来者的滑落。");
  });

  it("commissions off: seats earn nothing, even under the matrix tree", async () => {
    expect(await note({ commission: { enabled: false, tree: "matrix" } })).toBe("每个席位下 3 个位置，按注册顺序逐层从左到右排满，这里展示你席位下方各层的排位（其中可能有别人邀请的会员）；排位不带来佣金。");
  });
});
