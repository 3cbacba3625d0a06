// The back office's member detail (/merchant/members/[id]) lists the nearest 10 ancestors of the sponsor chain, as the
// order detail does (sponsorAncestors(…, 10)), and says how many levels the chain has in all when it is longer, instead
// of loading and rendering a whole upline of any length.
// Chain: m0 → m1 → … → m12 (m12 has 12 ancestors; m2 has 2).
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { MemberDetailView } from "../app/merchant/members/[id]/MemberDetailView";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const config = parseConfig({});
let database: Database;
let chain: number[];
let staff: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  chain = [];
  for (let i = 0; i <= 12; i++) {
    const sponsorId = i === 0 ? null : chain[i - 1]!;
    chain.push((await inTx(db, { config }, (c) => registerMember(c, { username: `m${i}`, nickname: `m${i}`, sponsorId, ip: `10.0.1.${i}`, device: `m${i}` }))).id);
  }
  staff = await signedInStaff(db, "operator");
});
afterAll(() => database.close());

async function render(id: number, locale: "zh-CN" | "en") {
  const [detail, children] = await Promise.all([staff.caller.merchantMember.detail({ id }), staff.caller.merchantMember.children({ id })]);
  const { html } = renderInProviders(createElement(MemberDetailView, { id, canWrite: false, isOwner: false, staffId: staff.id }), locale, (trpc, qc) => {
    qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), detail);
    qc.setQueryData(trpc.merchantMember.children.infiniteQueryKey({ id }), { pages: [children], pageParams: [null] });
  });
  return /data-testid="member-upline">.*?<\/section>/.exec(html)![0];
}
const linked = (html: string) => [...html.matchAll(/href="\/merchant\/members\/(\d+)"/g)].map((m) => Number(m[1]));

describe("the member detail's upline", () => {
  it("a chain of 12: the nearest 10, nearest first, and the total depth", async () => {
    const d = await staff.caller.merchantMember.detail({ id: chain[12]! });
    // m11 one up … m2 ten up; m1 and m0 (11 and 12 up) are not loaded.
    expect(d.upline.map((u) => [u.depth, u.id])).toEqual(Array.from({ length: 10 }, (_, k) => [k + 1, chain[11 - k]!]));
    expect(d.uplineDepth).toBe(12);

    const zh = await render(chain[12]!, "zh-CN");
    expect(linked(zh)).toEqual(chain.slice(2, 12).reverse());
    expect(zh).toContain("上 10 级");
    expect(zh).not.toContain("上 11 级");
    expect(zh).toMatch(/data-testid="member-upline-depth">上级链路共 12 级，仅显示最近 10 级</);
    expect(await render(chain[12]!, "en")).toMatch(/data-testid="member-upline-depth">12 levels up in all; the nearest 10 shown</);
  });

  it("a chain of 2 is listed whole, with no total line; the top member has none", async () => {
    const d = await staff.caller.merchantMember.detail({ id: chain[2]! });
    expect(d.upline.map((u) => [u.depth, u.id])).toEqual([[1, chain[1]!], [2, chain[0]!]]);
    expect(d.uplineDepth).toBe(2);
    const html = await render(chain[2]!, "zh-CN");
    expect(linked(html)).toEqual([chain[1]!, chain[0]!]);
    expect(html).not.toContain("member-upline-depth");

    const top = await staff.caller.merchantMember.detail({ id: chain[0]! });
    expect([top.upline, top.uplineDepth]).toEqual([[], 0]);
    expect(await render(chain[0]!, "zh-CN")).toContain("无推荐人（顶级会员）");
  });
});
