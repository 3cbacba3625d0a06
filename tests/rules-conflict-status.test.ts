// The rules form's refusals because the stored rules moved on under the editor (someone saved the same
// setting since the form opened, or a scheduled version holds another value) are 409 CONFLICT, not 400:
// the request is well formed, the page must be reloaded. The domain code and the refused paths still
// reach the client, which words them (app/merchant/rules/RulesClient.tsx).
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError } from "../server/context";
import type { MallConfig } from "../server/config/schema";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

let database: Database;
beforeAll(async () => {
  database = await freshPglite();
});
afterAll(() => database.close());

/** The refusal as the client gets it: tRPC code, HTTP status, domain code and refused paths. */
async function refusalOf(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(TRPCError);
  const err = e as TRPCError;
  expect(err.cause).toBeInstanceOf(DomainError);
  const cause = err.cause as DomainError;
  return { code: err.code, status: getHTTPStatusCodeFromError(err), domainCode: cause.code, paths: cause.issues?.map((i) => i.path) };
}

describe("merchantRules.save refusals of a concurrent change", () => {
  it("the same setting saved by another owner since the form opened: 409 CONFLICT RULES_STALE naming it; a scheduled version holding another value: 409 RULES_SCHEDULED_DIFFERS", async () => {
    const a = (await signedInStaff(database.prisma, "owner")).caller;
    const b = (await signedInStaff(database.prisma, "owner")).caller;
    const openA = await a.merchantRules.overview();
    const openB = await b.merchantRules.overview();
    const formA = openA.latest as MallConfig;
    const formB = openB.latest as MallConfig;
    await a.merchantRules.save({ config: { ...formA, commission: { ...formA.commission, ratesBps: [1200, 500, 200] } }, reason: "加一级", baseVersion: openA.baseVersion });
    expect(await refusalOf(b.merchantRules.save({ config: { ...formB, commission: { ...formB.commission, ratesBps: [1100, 500, 200] } }, reason: "一级 11%", baseVersion: openB.baseVersion }))).toEqual({
      code: "CONFLICT",
      status: 409,
      domainCode: "RULES_STALE",
      paths: ["commission.ratesBps"],
    });

    // A drops the 推广员 tier from 2099 on; B's form opens on that scheduled version and raises the partner threshold now.
    const opened = await a.merchantRules.overview();
    const form = opened.latest as MallConfig;
    await a.merchantRules.save({ config: { ...form, tiers: form.tiers.filter((t) => t.name !== "promoter") }, reason: "取消推广员", effectiveLocal: "2099-01-01T00:00", baseVersion: opened.baseVersion });
    const f = await b.merchantRules.overview();
    const scheduled = f.latest as MallConfig;
    expect(scheduled.tiers.map((t) => t.name)).toEqual(["member", "partner"]);
    const raised = scheduled.tiers.map((t) => (t.name === "partner" ? { ...t, minGmv90Fen: 8_000_000 } : t));
    expect(await refusalOf(b.merchantRules.save({ config: { ...scheduled, tiers: raised }, reason: "提高合伙人门槛", baseVersion: f.baseVersion }))).toEqual({
      code: "CONFLICT",
      status: 409,
      domainCode: "RULES_SCHEDULED_DIFFERS",
      paths: ["tiers"],
    });
  });
});
