// The simulator form (issue 11): a decimal where the server takes a whole number, or a category given
// twice, is refused beside its own field before anything is sent; the server's refusals land on theirs.
import { describe, expect, it } from "vitest";
import { formFieldOf, simulatorForm } from "@/app/merchant/simulator/form";

const valid = {
  name: "试算",
  members: 1000,
  sharerPercent: 30,
  invitesPerSharer: 2.5,
  firstOrderPercent: 60,
  refundPercent: 5,
  repeatOrders: 1.5,
  horizonDays: 90,
  seed: 42,
  categories: [
    { category: "fmcg", price: "99", weight: 70 },
    { category: "digital", price: "599.00", weight: 30 },
  ],
  compare: true,
  l1: "10",
  l2: "5",
  l3: "2.5",
  rebateN: 3,
  rebatePercent: 100,
  rebateWindow: 30,
};
const issues = (v: object) => simulatorForm.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];

describe("the simulator form", () => {
  it("takes decimals where they mean something (invites, repeats, shares)", () => {
    expect(issues(valid)).toEqual([]);
  });

  it("refuses a decimal in each whole-number field, beside that field", () => {
    const decimals = { members: 1000.5, horizonDays: 30.5, seed: 1.5, rebateN: 2.5, rebatePercent: 12.5, rebateWindow: 7.5 };
    expect(issues({ ...valid, ...decimals })).toEqual(Object.keys(decimals).map((k) => [k, "请填写整数"]));
  });

  it("refuses a category given twice on the row that repeats it", () => {
    const categories = [...valid.categories, { category: "fmcg", price: "10", weight: 5 }];
    expect(issues({ ...valid, categories })).toEqual([["categories.2.category", "类目重复：fmcg"]]);
  });

  it("shows each refusal of the server on its field, a category row's on that row", () => {
    expect(formFieldOf("population.categories.2.category")).toBe("categories.2.category");
    expect(formFieldOf("population.categories.0.priceFen")).toBe("categories.0.price");
    expect(formFieldOf("population.categories")).toBe("categories");
    expect(formFieldOf("population.members")).toBe("members");
    expect(formFieldOf("rebate.percent")).toBe("rebatePercent");
    expect(formFieldOf("commission.ratesBps.1")).toBe("l1");
    // The replay-length refusal names its fields in words, under the form.
    expect(formFieldOf("population")).toBe("root");
  });
});
