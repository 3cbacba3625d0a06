// The back office's 分销身份 (/merchant/members: the list, its 分销资格 filter, the detail and the CSV) follows the
// engine's rule (server/distribution isDistributorAt), not only the stored `distributorSince` and the mode in force
// (walker finding). SPEC §4: while `everyone` is in force every member is a distributor, and once one, always one.
// Repro: 累计消费 ¥300; C signs up and buys nothing; 完成首单后, then 所有会员, then 完成首单后 again: C is a distributor
// (its /promote says so and commission pays it) though no payment has stored the status yet. A distributor staff
// suspended reads 已停用 in the list, not 非分销员.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElement } from "react";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { distributorProgress } from "../../server/distribution";
import { exportDefinition } from "../../server/exports/registry";
import { csvStream } from "../../server/exports/csv";
import { DAY, HOUR } from "../../server/clock/time";
import { MemberList } from "../../app/merchant/members/MemberList";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";
import { signedInStaff } from "../helpers/caller";
import { renderInProviders } from "../helpers/render";

type Mode = MallConfig["commission"]["distributorMode"];
const rules = (mode: Mode): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, distributorMode: mode, distributorMinSpendFen: mode === "spend" ? 30_000 : 0 } });

let database: Database;
let db: Db;
let staff: Awaited<ReturnType<typeof signedInStaff>>;
const ids = { c: 0, s: 0, late: 0 };
// A month ago, so every rule version is in force by the time the back office reads (its clock is the app's).
const t0 = new Date(Date.now() - 30 * DAY);
const at = (days: number) => new Date(t0.getTime() + days * DAY);

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  await teaShop(db);
  const save = (mode: Mode, now: Date) => saveRules(db, null, { config: rules(mode), reason: `分销资格：${mode}` }, now);
  const member = async (username: string, now: Date) => (await inTx(db, { now }, (ctx) => registerMember(ctx, { username, nickname: username }))).id;
  await save("spend", t0);
  ids.c = await member("c", new Date(t0.getTime() + HOUR)); // buys nothing
  ids.s = await member("s", new Date(t0.getTime() + HOUR)); // suspended by staff later
  await save("first_order", at(1));
  await save("everyone", at(2));
  await save("first_order", at(3));
  ids.late = await member("late", at(4)); // signed up after the `everyone` period, buys nothing
  staff = await signedInStaff(db, "operator");
  await staff.caller.merchantMember.setDistributor({ id: ids.s, enabled: false, reason: "违规推广" });
});
afterAll(() => database.close());

const list = async (distributor?: "yes" | "no") => (await staff.caller.merchantMember.list({ distributor, pageSize: 100 })).rows.filter((r) => Object.values(ids).includes(r.id));
const sorted = (...xs: number[]) => [...xs].sort((x, y) => x - y);

describe("分销身份 in the back office: the engine's rule", () => {
  it("C, made a distributor by the `everyone` period and never stamped, is one on /promote and in the back office alike", async () => {
    // The shopper side (and so the engine) says so; nothing was stored.
    expect((await db.member.findUniqueOrThrow({ where: { id: ids.c } })).distributorSince).toBeNull();
    expect((await inTx(db, { now: at(5) }, (ctx) => distributorProgress(ctx, ids.c))).isDistributor).toBe(true);

    const rows = await list();
    const row = (id: number) => rows.find((r) => r.id === id)!;
    expect(row(ids.c)).toMatchObject({ distributor: true, distributorDisabled: false });
    // s was made one by the same period, then suspended: not a distributor, shown as suspended.
    expect(row(ids.s)).toMatchObject({ distributor: false, distributorDisabled: true });
    // late joined under 完成首单后 after the period ended and bought nothing.
    expect(row(ids.late)).toMatchObject({ distributor: false, distributorDisabled: false });

    expect((await staff.caller.merchantMember.detail({ id: ids.c })).distributor).toBe(true);
    expect((await staff.caller.merchantMember.detail({ id: ids.s })).distributor).toBe(false);
  });

  it("the 分销资格 filter: 是 finds C, 否 the suspended and the never-qualified", async () => {
    expect((await list("yes")).map((r) => r.id)).toEqual([ids.c]);
    expect(sorted(...(await list("no")).map((r) => r.id))).toEqual(sorted(ids.s, ids.late));
  });

  it("the CSV export: the same rows under the filter, C's 分销资格 是", async () => {
    const def = exportDefinition("members")!;
    const csv = async (search: string) => {
      const text = await new Response(csvStream(def.columns("Asia/Shanghai"), def.rows(db, def.fromSearch(new URLSearchParams(search)), "Asia/Shanghai"))).text();
      return text.replace(/^\uFEFF/, "").trim().split("\n");
    };
    const all = await csv("");
    const col = all[0]!.split(",").indexOf("分销资格");
    const cell = (id: number) => all.find((l) => l.startsWith(`${id},`))!.split(",")[col];
    expect([cell(ids.c), cell(ids.s), cell(ids.late)]).toEqual(["是", "否", "否"]);
    const yes = (await csv("distributor=yes")).slice(1).map((l) => Number(l.split(",")[0]));
    expect(yes.filter((id) => Object.values(ids).includes(id))).toEqual([ids.c]);
    expect(await def.count(db, { distributor: "yes" }, "Asia/Shanghai")).toBe(yes.length);
  });

  it("the list says 已停用 for the suspended distributor, 分销员 for C, 非分销员 for late (en: Suspended)", async () => {
    const key = { page: 1, pageSize: 20 as const, sort: { id: "createdAt" as const, desc: true } };
    const data = await staff.caller.merchantMember.list(key);
    expect(data.rows.map((r) => r.id).sort((x, y) => x - y)).toEqual(sorted(...Object.values(ids)));
    for (const [locale, words] of [["zh-CN", ["分销员", "已停用", "非分销员"]], ["en", ["Distributor", "Suspended", "Not a distributor"]]] as const) {
      const { html } = renderInProviders(createElement(SearchParamsContext.Provider, { value: new URLSearchParams() }, createElement(MemberList)), locale, (trpc, qc) =>
        qc.setQueryData(trpc.merchantMember.list.queryKey(key), data),
      );
      const badge = (status: string) => [...html.matchAll(new RegExp(`data-status="${status}"[^>]*>([^<]*)<`, "g"))].map((m) => m[1]);
      expect([badge("distributor"), badge("distributor-disabled"), badge("member")]).toEqual(words.map((w) => [w]));
    }
  });
});
