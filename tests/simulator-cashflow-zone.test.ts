// The simulator's daily cash flow counts each ledger entry on the merchant-local day it was written, also in a
// zone whose offset is not a whole hour (Asia/Kolkata, +5:30): an hour truncated in UTC is not a local hour there;
// and every day of the scenario has a point, so the chart's date axis has no gap.
import { describe, expect, it } from "vitest";
import { scenarioFigures } from "../server/simulator/run";
import { freshDatabase } from "./helpers/db";

/** alice sponsors bob and carol; each pays one 99 元 order: alice's L1 commission (10%, 990 fen) is pending from the payment. */
function scenario(timeZone: string) {
  return {
    config: {
      commission: { enabled: true, tree: "sponsor", ratesBps: [1000, 500, 200], distributorMode: "everyone", distributorMinSpendFen: 0 },
      timeZone,
    },
    products: [{ sku: "tea", priceFen: 9900, category: "fmcg", stock: 100 }],
    events: [
      { at: "2026-12-05T10:00:00Z", type: "register", user: "alice", ip: "10.0.0.1", device: "dev-a" },
      { at: "2026-12-05T11:00:00Z", type: "register", user: "bob", sponsor: "alice", ip: "10.0.0.2", device: "dev-b" },
      { at: "2026-12-05T12:00:00Z", type: "register", user: "carol", sponsor: "alice", ip: "10.0.0.3", device: "dev-c" },
      { at: "2026-12-05T18:10:00Z", type: "order", order: "o1", user: "bob", lines: [{ sku: "tea", qty: 1 }], address: "addr-b" },
      // 23:50 on 5 December in Kolkata (02:20 on the 6th in Shanghai).
      { at: "2026-12-05T18:20:00Z", type: "pay", order: "o1" },
      { at: "2026-12-05T18:30:00Z", type: "order", order: "o2", user: "carol", lines: [{ sku: "tea", qty: 1 }], address: "addr-c" },
      // 00:10 on 6 December in Kolkata: the same UTC hour as o1's payment, the next local day.
      { at: "2026-12-05T18:40:00Z", type: "pay", order: "o2" },
    ],
  };
}

describe("simulator cash flow by merchant-local day", () => {
  it("counts an entry at 00:10 in Kolkata (+5:30) on that day, not on the day its UTC hour starts in", async () => {
    const figures = await scenarioFigures(scenario("Asia/Kolkata"), "Asia/Kolkata", { open: freshDatabase });
    expect(figures.commissionsFen).toBe(1980);
    expect(figures.cashFlow).toEqual([
      { date: "2026-12-05", liabilityFen: 990, paidFen: 0 },
      { date: "2026-12-06", liabilityFen: 1980, paidFen: 0 },
    ]);
  });

  it("keeps whole-hour zones as they were: both payments fall on 6 December in Shanghai (+8)", async () => {
    const figures = await scenarioFigures(scenario("Asia/Shanghai"), "Asia/Shanghai", { open: freshDatabase });
    // The scenario starts at 18:00 on 5 December in Shanghai: that day has its point too, nothing owed yet.
    expect(figures.cashFlow).toEqual([
      { date: "2026-12-05", liabilityFen: 0, paidFen: 0 },
      { date: "2026-12-06", liabilityFen: 1980, paidFen: 0 },
    ]);
  });
});

describe("simulator cash flow over the whole horizon", () => {
  it("has a point for every day up to the end, days without entries carrying what is owed with nothing paid", async () => {
    // bob's payment on 1 December gives alice 990 fen pending; nothing else happens until the horizon ends at
    // 00:00 on 5 December (exclusive: that instant starts no day of the horizon).
    const oneSale = {
      config: { commission: { enabled: true, tree: "sponsor", ratesBps: [1000, 500, 200], distributorMode: "everyone", distributorMinSpendFen: 0 }, timeZone: "Asia/Shanghai" },
      products: [{ sku: "tea", priceFen: 9900, category: "fmcg", stock: 100 }],
      events: [
        { at: "2026-12-01T10:00:00+08:00", type: "register", user: "alice", ip: "10.0.0.1", device: "dev-a" },
        { at: "2026-12-01T11:00:00+08:00", type: "register", user: "bob", sponsor: "alice", ip: "10.0.0.2", device: "dev-b" },
        { at: "2026-12-01T12:00:00+08:00", type: "order", order: "o1", user: "bob", lines: [{ sku: "tea", qty: 1 }], address: "addr-b" },
        { at: "2026-12-01T12:01:00+08:00", type: "pay", order: "o1" },
        { at: "2026-12-05T00:00:00+08:00", type: "advance" },
      ],
    };
    const figures = await scenarioFigures(oneSale, "Asia/Shanghai", { open: freshDatabase });
    expect(figures.cashFlow).toEqual(["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"].map((date) => ({ date, liabilityFen: 990, paidFen: 0 })));
  });
});
