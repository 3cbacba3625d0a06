// The simulator's population refused by the server (through the router, as the page sends it): every refusal is a
// Chinese sentence naming its field, the one the form shows beside that field before sending; the English page
// words the custom rules (weights, a category twice, a replay too long) by name instead of a generic sentence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { createT } from "../lib/i18n/core";
import { zhCN } from "../lib/i18n/messages/zh-CN";
import { en } from "../lib/i18n/messages/en";
import { refusalIssueText, type RefusalIssue } from "../lib/i18n/labels";
import { settingName } from "../app/merchant/rules/setting-name";
import { formFieldOf, populationOf, simulatorForm, type SimulatorForm } from "../app/merchant/simulator/form";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { validSimulatorInput } from "./helpers/simulator-input";

const zh = createT("zh-CN", zhCN);
const english = createT("en", en);
const valid = { ...validSimulatorInput, compare: false } as SimulatorForm;

let database: Database;
let caller: Awaited<ReturnType<typeof signedInStaff>>["caller"];
beforeAll(async () => {
  database = await freshDatabase();
  caller = (await signedInStaff(database.prisma, "operator")).caller;
}, 180_000);
afterAll(() => database?.close());

/** What the page shows for each refusal of the server: its form field, its Chinese and English words. */
async function refusedBy(v: SimulatorForm) {
  const issues = await caller.merchantSimulator.queue({ name: v.name, population: populationOf(v), changes: null }).then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => (e instanceof TRPCError && e.cause instanceof DomainError ? (e.cause.issues as RefusalIssue[]) : Promise.reject(e)),
  );
  return issues.map((i) => ({ field: formFieldOf(i.path), zh: refusalIssueText(zh, i, settingName), en: refusalIssueText(english, i, settingName) }));
}

/** What the form itself shows for `v` before sending, by field. */
function formShows(v: SimulatorForm): Record<string, string> {
  const issues = simulatorForm(parseConfig({}), zh).safeParse(v).error?.issues ?? [];
  return Object.fromEntries(issues.map((i) => [i.path.join(".") || "root", i.message]));
}

describe("a population the server refuses, in words the merchant reads", () => {
  it("no category with a share of orders above 0", async () => {
    const v = { ...valid, categories: valid.categories.map((c) => ({ ...c, weight: 0 })) };
    const refused = await refusedBy(v);
    expect(refused).toEqual([{ field: "categories", zh: "至少一个类目的订单占比须大于 0", en: "Categories: at least one category needs a share of orders above 0" }]);
    expect(formShows(v)).toEqual({ categories: refused[0]!.zh });
  });

  it("a category code given twice, on the row that repeats it", async () => {
    const v = { ...valid, categories: [...valid.categories, { category: "fmcg", price: "59", weight: 10 }] };
    const refused = await refusedBy(v);
    expect(refused).toEqual([{ field: "categories.2.category", zh: "类目重复：fmcg", en: 'Category 3 code: "fmcg" is given twice' }]);
    expect(formShows(v)).toEqual({ "categories.2.category": refused[0]!.zh });
  });

  it("a replay too long, under the form", async () => {
    // 20 000 members all buying, 1 + 20 orders each: 420 000 orders × 3 events + 20 000 sign-ups + the final advance.
    const v = { ...valid, members: 20_000, firstOrderPercent: 100, repeatOrders: 20 };
    const refused = await refusedBy(v);
    expect(refused).toEqual([
      {
        field: "root",
        zh: "预计每组规则约 1280001 个模拟事件，超过上限 100000（约 11 分钟）：请减少会员数、首单转化率或人均复购次数",
        en: "Population: too many simulated events per rule set: lower the members, the first-order conversion or the repeat orders",
      },
    ]);
    expect(formShows(v)).toEqual({ root: refused[0]!.zh });
  });

  it("the fields whose bounds were zod's English: each in Chinese, naming the field", async () => {
    const v = { ...valid, repeatOrders: -1, seed: -1, categories: [{ category: "", price: "0", weight: 101 }, valid.categories[1]!] };
    // The form refuses ¥0 as an amount itself; the server's own bound on the price is said in Chinese too.
    expect((await refusedBy(v)).map(({ field, zh }) => [field, zh])).toEqual([
      ["categories.0.category", "请填写类目代码"],
      ["categories.0.category", "类目代码只能含小写字母、数字和连字符"],
      ["categories.0.price", "客单价至少 0.01 元"],
      ["categories.0.weight", "订单占比最多 100"],
      ["repeatOrders", "人均复购次数不能小于 0"],
      ["seed", "随机种子不能小于 0"],
    ]);
    expect(formShows(v)).toMatchObject({ "categories.0.category": "请填写类目代码", "categories.0.weight": "订单占比最多 100", repeatOrders: "人均复购次数不能小于 0", seed: "随机种子不能小于 0" });
  });
});
