// 店铺资料 saved by two owners at once: the form saves on the profile it was opened on (its updatedAt); a save over a
// newer one is refused with 409 SHOP_PROFILE_STALE (worded in zh and en) and overwrites nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import { getShopProfile, saveShopProfileTx } from "../server/shop/profile";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { errorText } from "../lib/i18n/labels";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { BLANK_SHOP, XIAOMAN_SHOP } from "./helpers/shop";

let database: Database;
let ownerA: Awaited<ReturnType<typeof signedInStaff>>;
let ownerB: Awaited<ReturnType<typeof signedInStaff>>;

beforeEach(async () => {
  database = await freshDatabase();
  ownerA = await signedInStaff(database.prisma, "owner");
  ownerB = await signedInStaff(database.prisma, "owner");
});
afterEach(() => database.close());

/** The refusal a call ends in: its tRPC code, domain code and message. */
async function refusalOf(p: Promise<unknown>): Promise<{ code: string; domainCode: string; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof TRPCError) || !(e.cause instanceof DomainError)) throw new Error(`expected a domain refusal, got ${String(e)}`);
  return { code: e.code, domainCode: e.cause.code, message: e.message };
}

describe("店铺资料 saved by two owners at once", () => {
  it("refuses the second save over the first, before any save and after one, and takes it once reloaded", async () => {
    // Both open the page while the defaults apply (never saved).
    const openedA = await ownerA.caller.merchantShop.profile();
    const openedB = await ownerB.caller.merchantShop.profile();
    expect(openedA.updatedAt).toBeNull();
    await ownerA.caller.merchantShop.save({ ...XIAOMAN_SHOP, baseUpdatedAt: openedA.updatedAt });
    expect(await refusalOf(ownerB.caller.merchantShop.save({ ...BLANK_SHOP, name: "B 的小店", baseUpdatedAt: openedB.updatedAt }))).toEqual({
      code: "CONFLICT",
      domainCode: "SHOP_PROFILE_STALE",
      message: "店铺资料已在你打开后被他人修改，请重新加载后再保存",
    });
    expect((await getShopProfile(database.prisma)).name).toBe("小满优选");

    // Both reload; A saves again; B's save on the version both saw is refused, A's row stays as A saved it.
    const reloadedA = await ownerA.caller.merchantShop.profile();
    const reloadedB = await ownerB.caller.merchantShop.profile();
    expect(reloadedB.updatedAt).toEqual(reloadedA.updatedAt);
    await ownerA.caller.merchantShop.save({ ...XIAOMAN_SHOP, serviceHours: "每天 8:00–20:00", baseUpdatedAt: reloadedA.updatedAt });
    expect((await refusalOf(ownerB.caller.merchantShop.save({ ...XIAOMAN_SHOP, address: "杭州市西湖区", baseUpdatedAt: reloadedB.updatedAt }))).domainCode).toBe("SHOP_PROFILE_STALE");
    // Even a save that would change nothing tells B the form is behind.
    expect((await refusalOf(ownerB.caller.merchantShop.save({ ...XIAOMAN_SHOP, serviceHours: "每天 8:00–20:00", baseUpdatedAt: reloadedB.updatedAt }))).domainCode).toBe("SHOP_PROFILE_STALE");
    const kept = await getShopProfile(database.prisma);
    expect(kept).toMatchObject({ serviceHours: "每天 8:00–20:00", address: XIAOMAN_SHOP.address, updatedById: ownerA.id });
    // Refused saves leave no audit entry: A's two saves only.
    expect(await database.prisma.auditLog.count({ where: { action: "shop.profile_updated" } })).toBe(2);

    // B reloads and saves on the current version: taken.
    const current = await ownerB.caller.merchantShop.profile();
    const saved = await ownerB.caller.merchantShop.save({ ...XIAOMAN_SHOP, serviceHours: "每天 8:00–20:00", address: "杭州市西湖区", baseUpdatedAt: current.updatedAt });
    expect(saved).toMatchObject({ changed: true, profile: { address: "杭州市西湖区", updatedById: ownerB.id } });
  });

  it("of two saves on the same version at the same moment, exactly one is taken", async () => {
    const opened = await ownerA.caller.merchantShop.profile();
    await ownerA.caller.merchantShop.save({ ...XIAOMAN_SHOP, baseUpdatedAt: opened.updatedAt });
    const base = { updatedAt: (await getShopProfile(database.prisma)).updatedAt };
    const now = new Date(Date.now() + 60_000);
    const outcomes = await Promise.allSettled([
      saveShopProfileTx(database.prisma, { staffId: ownerA.id }, { ...XIAOMAN_SHOP, name: "甲店" }, now, base),
      saveShopProfileTx(database.prisma, { staffId: ownerB.id }, { ...XIAOMAN_SHOP, name: "乙店" }, now, base),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason instanceof DomainError ? refused.reason.code : refused).toBe("SHOP_PROFILE_STALE");
    expect(["甲店", "乙店"]).toContain((await getShopProfile(database.prisma)).name);
  });

  it("the page words the refusal in both languages", () => {
    const refusal = { message: "店铺资料已在你打开后被他人修改，请重新加载后再保存", data: { domainCode: "SHOP_PROFILE_STALE" } };
    const t = (locale: "zh-CN" | "en") => createT(locale, MESSAGES[locale], (key) => {
      throw new Error(`message "${key}" is not in the ${locale} catalogue`);
    });
    expect(errorText(t("en"), refusal)).toBe("Someone else changed the shop profile after you opened it: reload the page before saving");
    expect(t("zh-CN")("error.SHOP_PROFILE_STALE")).toBe(refusal.message);
    expect([t("zh-CN")("m.shop.reload"), t("en")("m.shop.reload")]).toEqual(["重新加载（放弃本页未保存的修改）", "Reload (discards unsaved changes on this page)"]);
  });
});
