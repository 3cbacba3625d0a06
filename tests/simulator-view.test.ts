// The simulator page's display rules (issue 11): the run shown is in the address (?run=<id>) and wins
// over the newest; A's column names the rule version it ran on; beside B's rates per level, the form
// names the categories with rates of their own, and B can drop them.
import { describe, expect, it } from "vitest";
import { cashFlowPoints, ownRateCategories, ruleSetHeading, runHref, runParam, shownRun } from "@/app/merchant/simulator/view";
import { ruleChanges } from "@/app/merchant/simulator/form";

describe("the run in the address", () => {
  it("is a run id, anything else is ignored", () => {
    expect(runParam("12")).toBe(12);
    expect(runParam(["7", "8"])).toBe(7);
    expect(runParam("2147483647")).toBe(2_147_483_647);
    for (const bad of [null, undefined, "", "0", "012", "-3", "1.5", "12abc", "abc", "2147483648", "99999999999"]) expect(runParam(bad)).toBeNull();
  });

  it("round-trips through its link", () => {
    expect(runHref(42)).toBe("/merchant/simulator?run=42");
    expect(runParam(new URL(runHref(42), "http://x").searchParams.get("run"))).toBe(42);
    expect(runHref(null)).toBe("/merchant/simulator");
  });

  it("is the run shown, even one not on the pages loaded; without it, the newest", () => {
    const runs = [{ id: 40 }, { id: 39 }];
    expect(shownRun(3, runs)).toBe(3);
    expect(shownRun(null, runs)).toBe(40);
    expect(shownRun(null, [])).toBeNull();
  });
});

describe("rule set headings", () => {
  it("name A's rule version when known, else the rules in force at the run; B as edited", () => {
    expect(ruleSetHeading(0, 12)).toEqual(["sim.col.aVersion", { v: 12 }]);
    expect(ruleSetHeading(0, null)).toEqual(["sim.col.a"]);
    expect(ruleSetHeading(1, 12)).toEqual(["sim.col.b"]);
  });
});

describe("categories with rates of their own", () => {
  const names = [
    { slug: "fmcg", name: "日用快消" },
    { slug: "digital", name: "数码" },
    { slug: "baby", name: "母婴" },
  ];

  it("are named, with their rates, in the shop's category order; an unknown code by itself, last", () => {
    const own = ownRateCategories({ zz: [500, 200, 0], baby: [800, 400, 150], digital: [1500, 500, 100] }, names);
    expect(own).toEqual([
      { slug: "digital", name: "数码", rates: "15% / 5% / 1%" },
      { slug: "baby", name: "母婴", rates: "8% / 4% / 1.5%" },
      { slug: "zz", name: "zz", rates: "5% / 2% / 0%" },
    ]);
    expect(ownRateCategories({}, names)).toEqual([]);
  });

  it("keep their rates in B unless the merchant ticks that B drops them", () => {
    const form = { compare: true, l1: "8", l2: "4", l3: "1.5", rebateN: 3, rebatePercent: 100, rebateWindow: 30 };
    const rebate = { n: 3, percent: 100, windowDays: 30 };
    expect(ruleChanges({ ...form, uniformRates: false })).toEqual({ commission: { ratesBps: [800, 400, 150] }, rebate });
    expect(ruleChanges(form)).toEqual({ commission: { ratesBps: [800, 400, 150] }, rebate });
    expect(ruleChanges({ ...form, uniformRates: true })).toEqual({ commission: { ratesBps: [800, 400, 150], categoryRatesBps: {} }, rebate });
    expect(ruleChanges({ ...form, compare: false, uniformRates: true })).toBeNull();
  });
});

describe("the cash-flow chart", () => {
  it("counts the simulation's days from its first, and a rule set without a day keeps what it owed", () => {
    const a = [
      { date: "2026-01-01", liabilityFen: 100, paidFen: 0 },
      { date: "2026-01-02", liabilityFen: 250, paidFen: 30 },
      { date: "2026-01-03", liabilityFen: 200, paidFen: 50 },
    ];
    // B's ledger starts a day later and stops a day earlier than A's: its first day owes nothing yet.
    const b = [{ date: "2026-01-02", liabilityFen: 70, paidFen: 5 }];
    expect(cashFlowPoints([{ cashFlow: a }, { cashFlow: b }])).toEqual({
      days: [1, 2, 3],
      sets: [
        { owedFen: [100, 250, 200], paidFen: [0, 30, 50] },
        { owedFen: [0, 70, 70], paidFen: [0, 5, 0] },
      ],
    });
  });
});
