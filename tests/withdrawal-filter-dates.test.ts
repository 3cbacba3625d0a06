// The withdrawal queue's date filter (queue, CSV export, background export) takes real calendar days only:
// 2026-02-30 has the YYYY-MM-DD shape, but read as a date it rolls over into 2 March and the queue showed
// 2 March's withdrawals. It is refused as bad input (BAD_REQUEST, worded in the caller's language) instead.
import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { withdrawalFilterSchema } from "../server/wallet/review";
import { withdrawalExport, withdrawalFilterFromSearch } from "../server/exports/withdrawals";
import { inputErrorMessage } from "../server/api/input-errors";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

describe("withdrawal filter dates (schema)", () => {
  it("accepts real days, leap days included, and refuses days that do not exist", () => {
    for (const day of ["2026-02-28", "2028-02-29", "2026-12-31"]) expect(withdrawalFilterSchema.safeParse({ from: day, to: day }).success, day).toBe(true);
    for (const day of ["2026-02-30", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-2-01"]) {
      const parsed = withdrawalFilterSchema.safeParse({ from: day, to: day });
      expect(parsed.success, day).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual(["from", "to"]);
    }
  });

  it("the CSV link's filter is refused (the route answers 400) and a background export's stored filter does not parse", () => {
    expect(withdrawalFilterFromSearch(new URLSearchParams("from=2026-02-30&to=2026-02-30"))).toBeNull();
    expect(withdrawalFilterFromSearch(new URLSearchParams("from=2026-03-02&to=2026-03-02"))).toEqual({ from: "2026-03-02", to: "2026-03-02" });
    expect(() => withdrawalExport.parse({ from: "2026-02-30" })).toThrow(ZodError);
  });
});

describe("withdrawal queue date filter (router)", () => {
  let database: Database;
  let onMarch2: number;
  let onFeb28: number;

  beforeEach(async () => {
    database = await freshDatabase();
    const config = parseConfig({});
    const memberId = (await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "shopper" }))).id;
    const create = (createdAt: string) => database.prisma.withdrawal.create({ data: { memberId, amountFen: 300_000, status: "PENDING_REVIEW", approvalsNeeded: 1, createdAt: new Date(createdAt) } });
    // 12:00 in Shanghai (the default merchant zone) on 28 February and on 2 March.
    onFeb28 = (await create("2026-02-28T04:00:00Z")).id;
    onMarch2 = (await create("2026-03-02T04:00:00Z")).id;
  });
  afterEach(() => database.close());

  it("lists a real day's withdrawals and refuses 2026-02-30 with BAD_REQUEST instead of showing 2 March's", async () => {
    const finance = await signedInStaff(database.prisma, "finance");
    const ids = async (from: string, to: string) => (await finance.caller.merchantWithdrawal.list({ from, to })).items.map((w) => w.id);
    expect(await ids("2026-03-02", "2026-03-02")).toEqual([onMarch2]);
    expect(await ids("2026-02-28", "2026-02-28")).toEqual([onFeb28]);

    const error = await finance.caller.merchantWithdrawal.list({ from: "2026-02-30", to: "2026-02-30" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    const cause = (error as TRPCError).cause;
    expect(cause).toBeInstanceOf(ZodError);
    // What the API's error formatter answers (server/api/trpc.ts), by locale.
    expect(inputErrorMessage(cause as ZodError, "en")).toBe("Invalid input: start date must be in a valid format; end date must be in a valid format");
    expect(inputErrorMessage(cause as ZodError, "zh-CN")).toBe("输入有误：开始日期无效，应为 YYYY-MM-DD 格式的真实日期；结束日期无效，应为 YYYY-MM-DD 格式的真实日期");
  });
});
