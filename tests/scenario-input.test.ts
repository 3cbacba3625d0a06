// SPEC §10: malformed scenario input is refused before anything runs, with a message naming the event (or product)
// and the field. Found in review: a date that does not exist (30 February) rolled over to 2 March and ran, and a price
// or stock beyond the int4 columns passed the check and failed mid-run.
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioInputError } from "../server/scenario/input";

const reg = (at: string, user: string) => ({ at, type: "register", user });
const tea = { sku: "tea", priceFen: 9900, category: "fmcg", stock: 100 };

function refusal(raw: unknown): string {
  try {
    parseScenario(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioInputError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("an event's time", () => {
  it.each([
    ["2026-02-30T10:00:00+08:00", "30 February"],
    ["2026-02-29T10:00:00Z", "29 February of a common year"],
    ["2026-04-31T10:00:00-05:00", "31 April"],
    ["2026-13-01T10:00:00+08:00", "month 13"],
    ["2026-03-01T24:00:00+08:00", "hour 24"],
    ["2026-03-01T10:60+08:00", "minute 60"],
  ])("refuses %s (%s), naming the event and field 'at'", (at) => {
    const message = refusal({ products: [tea], events: [reg("2026-02-01T10:00:00+08:00", "a"), reg(at, "b")] });
    expect(message).toMatch(/^event 1 \(register\): field 'at': /);
    expect(message).toMatch(/not a real date/);
  });

  it("still accepts real times in any offset, leap days and the last of a month included", () => {
    const times = ["2028-02-29T23:59:59+08:00", "2026-04-30T00:00:00-05:00", "2026-12-31T23:59:59.999Z", "2027-01-01T00:00+14:00"];
    const parsed = parseScenario({ events: times.map((at, i) => reg(at, `u${i}`)).sort((x, y) => Date.parse(x.at) - Date.parse(y.at)) });
    expect(parsed.events.map((e) => e.time.getTime()).sort((x, y) => x - y)).toEqual(times.map((t) => Date.parse(t)).sort((x, y) => x - y));
    // 2028-02-29 23:59:59 in Shanghai is 15:59:59 UTC the same day.
    expect(parsed.events.find((e) => e.at === times[0])!.time.toISOString()).toBe("2028-02-29T15:59:59.000Z");
  });

  it("keeps the shape message for a time that is not ISO-8601 with a zone", () => {
    expect(refusal({ events: [reg("2026-03-01 10:00", "a")] })).toBe("event 0 (register): field 'at': must be an ISO-8601 time with a zone, e.g. 2026-03-01T10:00:00+08:00");
  });
});

describe("a product's price and stock", () => {
  it.each([
    ["priceFen", { ...tea, sku: "gold", priceFen: 2_147_483_648 }],
    ["stock", { ...tea, sku: "gold", stock: 3_000_000_000 }],
  ])("refuses a %s beyond the int4 column, naming the product", (field, product) => {
    expect(refusal({ products: [tea, product], events: [] })).toBe(`products (sku 'gold'): field '1.${field}': must be at most 2147483647`);
  });

  it("accepts the largest int4 value", () => {
    const parsed = parseScenario({ products: [{ ...tea, priceFen: 2_147_483_647, stock: 2_147_483_647 }], events: [] });
    expect(parsed.products[0]).toMatchObject({ priceFen: 2_147_483_647, stock: 2_147_483_647 });
  });
});
