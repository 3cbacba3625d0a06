// Deleted accounts (注销账号, server/members/deletion.ts) in the back office's member list (/merchant/members): the
// account status filter's 已注销 finds exactly them and 已冻结 / 正常 leave them out (a deleted account is frozen too),
// the list without a status shows them (they keep orders, ledger and their place in the tree), the CSV export with
// the same filter has the same rows, and a status the filter does not know is refused. The list and the detail page
// badge them 已注销, and the detail page offers no 解冻 for them (the server refuses it).
// Network: root → d1 → c (d1 deleted), a (normal), f (frozen by staff), d2 (deleted).
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { deleteAsShown } from "./helpers/deletion";
import { memberExportPage, type MemberFilter } from "../server/members/admin";
import { exportDefinition } from "../server/exports/registry";
import { csvStream } from "../server/exports/csv";
import { MemberList } from "../app/merchant/members/MemberList";
import { MemberDetailView } from "../app/merchant/members/[id]/MemberDetailView";
import { freshPglite } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const config = parseConfig({});
/** d1 is deleted at 10:00 Shanghai time on 2026-03-10, d2 a day later. */
const deletedAt = { d1: new Date("2026-03-10T02:00:00Z"), d2: new Date("2026-03-11T02:00:00Z") };
let database: Database;
let db: Db;
let ids: Record<"root" | "d1" | "c" | "a" | "f" | "d2", number>;
let staff: Awaited<ReturnType<typeof signedInStaff>>;

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  let n = 0;
  const reg = (username: string, sponsorId: number | null = null) =>
    inTx(db, { config }, (c) => registerMember(c, { username, sponsorId, nickname: username, ip: `10.0.0.${++n}`, device: username })).then((m) => m.id);
  const root = await reg("root");
  const d1 = await reg("d1", root);
  const c = await reg("c", d1);
  const a = await reg("a");
  const f = await reg("f");
  const d2 = await reg("d2");
  ids = { root, d1, c, a, f, d2 };
  staff = await signedInStaff(db, "operator");
  await staff.caller.merchantMember.setFrozen({ id: f, frozen: true, reason: "疑似刷单" });
  for (const who of ["d1", "d2"] as const) {
    expect(await inTx(db, { config, now: deletedAt[who] }, (ctx) => deleteAsShown(ctx, ids[who], false))).toEqual({ deleted: true });
  }
});
afterAll(() => database.close());

const list = (f: MemberFilter) => staff.caller.merchantMember.list({ ...f, pageSize: 100 });
const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id).sort((x, y) => x - y);
const sorted = (...xs: number[]) => [...xs].sort((x, y) => x - y);

describe("the account status filter", () => {
  it("已注销 is exactly the deleted members; 已冻结 and 正常 leave them out; together the three are every member", async () => {
    const deleted = await list({ frozen: "deleted" });
    expect(idsOf(deleted.rows)).toEqual(sorted(ids.d1, ids.d2));
    expect(deleted.total).toBe(2);
    expect(deleted.rows.every((r) => r.nickname === "已注销用户" && r.frozen && r.deletedAt !== null)).toBe(true);
    // A deleted account is frozen too, but 已冻结 means a live account staff can unfreeze.
    expect(idsOf((await list({ frozen: "yes" })).rows)).toEqual([ids.f]);
    expect(idsOf((await list({ frozen: "no" })).rows)).toEqual(sorted(ids.root, ids.c, ids.a));
  });

  it("without a status the list has every member, the deleted ones with their deletion time", async () => {
    const all = await list({});
    expect(idsOf(all.rows)).toEqual(sorted(...Object.values(ids)));
    expect(all.rows.find((r) => r.id === ids.d2)!.deletedAt).toEqual(deletedAt.d2);
    expect(all.rows.find((r) => r.id === ids.f)!.deletedAt).toBeNull();
  });

  it("a deleted account is never a distributor: not in 分销资格 是, in 否, and its row says so", async () => {
    expect(config.commission.distributorMode).toBe("everyone");
    // Under `everyone` every live member is a distributor from sign-up; the deleted ones earn nothing.
    expect(idsOf((await list({ distributor: "yes" })).rows)).toEqual(sorted(ids.root, ids.c, ids.a, ids.f));
    expect(idsOf((await list({ distributor: "no" })).rows)).toEqual(sorted(ids.d1, ids.d2));
    expect((await list({})).rows.filter((r) => r.distributor).map((r) => r.id).sort((x, y) => x - y)).toEqual(sorted(ids.root, ids.c, ids.a, ids.f));
  });

  it("combines with the other filters", async () => {
    expect(idsOf((await list({ frozen: "deleted", q: "已注销用户" })).rows)).toEqual(sorted(ids.d1, ids.d2));
    expect((await list({ frozen: "no", q: "已注销用户" })).total).toBe(0);
    expect((await list({ frozen: "deleted", tier: "partner" })).total).toBe(0);
  });

  it("a status it does not know is a 400", async () => {
    expect((await refusal(staff.caller.merchantMember.list({ frozen: "gone" as "yes" }))).code).toBe("BAD_REQUEST");
  });
});

describe("the CSV export with the status filter", () => {
  const def = exportDefinition("members")!;
  const csvLines = async (search: string) => {
    const text = await new Response(csvStream(def.columns("Asia/Shanghai"), def.rows(db, def.fromSearch(new URLSearchParams(search)), "Asia/Shanghai"))).text();
    return text.replace(/^\uFEFF/, "").trim().split("\n");
  };

  it("has the list's rows for each status, the deletion time in its last column", async () => {
    for (const frozen of ["deleted", "yes", "no"] as const) {
      const lines = await csvLines(`frozen=${frozen}`);
      expect(idsOf(lines.slice(1).map((l) => ({ id: Number(l.split(",")[0]) }))), frozen).toEqual(idsOf((await list({ frozen })).rows));
      expect(await def.count(db, { frozen }, "Asia/Shanghai")).toBe(lines.length - 1);
    }
    const lines = await csvLines("frozen=deleted");
    expect(lines[0]!.split(",").at(-1)).toBe("注销时间");
    // 2026-03-10 02:00 UTC is 10:00 in Shanghai.
    expect(lines.find((l) => l.startsWith(`${ids.d1},`))!.split(",").at(-1)).toBe("2026-03-10 10:00:00");
    expect((await csvLines("")).find((l) => l.startsWith(`${ids.a},`))!.split(",").at(-1)).toBe("");
  });

  it("pages one row at a time under the filter, in the list's default order (newest first), and finds the same rows", async () => {
    const seen: number[] = [];
    for (let after: Awaited<ReturnType<typeof memberExportPage>>[number] | null = null; ; ) {
      const page: Awaited<ReturnType<typeof memberExportPage>> = await memberExportPage(db, config, { frozen: "deleted" }, null, after, 1);
      if (!page.length) break;
      seen.push(page[0]!.id);
      after = page[0]!;
    }
    expect(seen).toEqual([ids.d2, ids.d1]);
  });

  it("refuses a status it does not know (the route answers 400), for a download and for a background job", () => {
    expect(def.fromSearch(new URLSearchParams("frozen=deleted"))).toEqual({ frozen: "deleted" });
    expect(def.fromSearch(new URLSearchParams("frozen=gone"))).toBeNull();
    expect(def.parse({ frozen: "deleted" })).toEqual({ frozen: "deleted" });
    expect(() => def.parse({ frozen: "gone" })).toThrow();
  });
});

describe("the detail", () => {
  it("says when the account was deleted, and marks a deleted member in the upline and the downline", async () => {
    const d1 = await staff.caller.merchantMember.detail({ id: ids.d1 });
    expect(d1.deletedAt).toEqual(deletedAt.d1);
    const c = await staff.caller.merchantMember.detail({ id: ids.c });
    expect(c.upline.map((u) => [u.id, u.deletedAt])).toEqual([[ids.d1, deletedAt.d1], [ids.root, null]]);
    expect((await staff.caller.merchantMember.children({ id: ids.root })).rows.map((m) => [m.id, m.deletedAt])).toEqual([[ids.d1, deletedAt.d1]]);
    expect((await staff.caller.merchantMember.downline({ id: ids.root, depth: 1 })).rows.map((m) => [m.id, m.deletedAt])).toEqual([[ids.d1, deletedAt.d1]]);
  });
});

describe("the pages", () => {
  /** The badge of each member row of the list, as the browser's first render shows it. */
  async function listBadges(search: string, locale: "zh-CN" | "en" = "zh-CN") {
    const params = new URLSearchParams(search);
    const frozen = (params.get("frozen") || undefined) as MemberFilter["frozen"];
    const data = await staff.caller.merchantMember.list({ page: 1, pageSize: 20, sort: { id: "createdAt", desc: true }, frozen });
    const { html } = renderInProviders(createElement(SearchParamsContext.Provider, { value: params }, createElement(MemberList)), locale, (trpc, qc) =>
      qc.setQueryData(trpc.merchantMember.list.queryKey({ page: 1, pageSize: 20, sort: { id: "createdAt", desc: true }, frozen }), data),
    );
    return { html, rows: data.rows.length };
  }

  it("the list badges a deleted member 已注销 (not 已冻结) and offers 已注销 in the status filter, selected from the URL", async () => {
    const { html, rows } = await listBadges("frozen=deleted");
    expect(rows).toBe(2);
    expect(html.match(/data-status="deleted"[^>]*>已注销</g)).toHaveLength(2);
    expect(html).not.toContain('data-status="frozen"');
    expect(html).toMatch(/账号状态<select name="frozen"[^>]*>.*<option value="deleted" selected="">已注销<\/option>/);
    const all = await listBadges("");
    expect(all.html.match(/data-status="deleted"/g)).toHaveLength(2);
    expect(all.html.match(/data-status="frozen"[^>]*>已冻结</g)).toHaveLength(1);
    expect((await listBadges("frozen=deleted", "en")).html.match(/data-status="deleted"[^>]*>Deleted</g)).toHaveLength(2);
  });

  it("the detail page badges a deleted member 已注销 with its deletion time, and has no 解冻 button", async () => {
    const detail = await staff.caller.merchantMember.detail({ id: ids.d1 });
    const page = (id: number, data: typeof detail) =>
      renderInProviders(createElement(MemberDetailView, { id, canWrite: true, isOwner: true, staffId: staff.id }), "zh-CN", (trpc, qc) => qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), data)).html;
    const html = page(ids.d1, detail);
    expect(html).toMatch(/data-testid="member-frozen-state"><span [^>]*data-status="deleted">已注销<\/span>/);
    expect(html).toContain("注销于 2026-03-10 10:00");
    expect(html).not.toContain('data-testid="freeze-toggle"');
    // A frozen member: 已冻结, and the button to unfreeze.
    const frozen = page(ids.f, await staff.caller.merchantMember.detail({ id: ids.f }));
    expect(frozen).toMatch(/data-testid="member-frozen-state"><span [^>]*data-status="frozen">已冻结<\/span>/);
    expect(frozen).toContain('data-testid="freeze-toggle"');
  });

  it("the detail page badges a deleted upline and a deleted member of the tree 已注销", async () => {
    const render = async (id: number) => {
      const [detail, children] = await Promise.all([staff.caller.merchantMember.detail({ id }), staff.caller.merchantMember.children({ id })]);
      return renderInProviders(createElement(MemberDetailView, { id, canWrite: false, isOwner: false, staffId: staff.id }), "zh-CN", (trpc, qc) => {
        qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), detail);
        qc.setQueryData(trpc.merchantMember.children.infiniteQueryKey({ id }), { pages: [children], pageParams: [null] });
      }).html;
    };
    const upline = /data-testid="member-upline">.*?<\/ol>/.exec(await render(ids.c))![0];
    expect(upline).toMatch(new RegExp(`href="/merchant/members/${ids.d1}"[^>]*>已注销用户</a>.*?data-status="deleted">已注销<`));
    const tree = /data-testid="member-tree">.*?<\/ul>/.exec(await render(ids.root))![0];
    expect(tree).toMatch(new RegExp(`data-member-id="${ids.d1}".*?data-status="deleted">已注销<`));
    expect(tree).not.toContain('data-status="frozen"');
  });
});
