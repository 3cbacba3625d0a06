// The development seed (prisma/seed.ts) through the real engine: each demo shopper has a default
// shipping address, every seeded order carries its buyer's (as checkout writes it), no risk rule
// fires on the demo network, and a second run changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DEMO_SHOPPERS, seedDemo } from "../../prisma/seed";
import { freshDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

describe("the demo seed", () => {
  it("gives each demo shopper a default address and ships each seeded order to its buyer's", async () => {
    const db = database.prisma;
    expect(await seedDemo(db, new Date("2026-11-20T04:00:00Z"))).toBe(true);
    const wang = await db.member.findUniqueOrThrow({ where: { username: "demo_wang" }, include: { orders: true } });
    const [home] = await db.address.findMany({ where: { memberId: wang.id } });
    expect(home).toMatchObject({ name: "王建国", phone: "13800000001", region: "浙江省 杭州市 西湖区", areaCode: "330106", isDefault: true });
    expect(wang.orders.map((o) => o.address)).toEqual(["王建国 13800000001 浙江省 杭州市 西湖区 文三路 478 号华星时代广场 1 幢 1203 室"]);
    // 孙先生 ships to Shanghai: a municipality's city is not repeated in the region.
    const sun = await db.member.findUniqueOrThrow({ where: { username: "demo_sun" }, include: { orders: true } });
    expect(sun.orders.map((o) => o.address)).toEqual(["孙浩 13800000007 上海市 浦东新区 张杨路 1500 号 12 楼"]);

    const addresses = await db.address.findMany();
    expect(addresses).toHaveLength(DEMO_SHOPPERS.length);
    expect(addresses.every((a) => a.isDefault)).toBe(true);
    expect(new Set(addresses.map((a) => `${a.region} ${a.detail}`)).size).toBe(DEMO_SHOPPERS.length);
    expect(await db.order.count()).toBe(6);
    expect(await db.riskEvent.count()).toBe(0);

    expect(await seedDemo(db, new Date("2026-11-21T04:00:00Z"))).toBe(false);
    expect(await db.address.count()).toBe(DEMO_SHOPPERS.length);
  });
});
