// A month's close rebuilds the sponsor tree from the sponsor changes started after it (server/tiers/at-close.ts
// changesSinceSql, "startedAt" > instant): it must read them from their partial index, not scan every request.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Prisma, type Database } from "../../server/db";
import { changesSinceSql } from "../../server/tiers/at-close";
import { freshDatabase } from "../helpers/db";
import { planWithoutSeqscan } from "../helpers/plans";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

it("the changes started since a month's close are read from SponsorChangeRequest_started_idx", async () => {
  const close = new Date("2026-12-01T00:00:00+08:00");
  const plan = await planWithoutSeqscan(database.prisma, Prisma.sql`WITH ${changesSinceSql(close)} SELECT id, sponsor FROM f`);
  expect(plan).toContain("SponsorChangeRequest_started_idx");
  expect(plan).not.toMatch(/Seq Scan on "SponsorChangeRequest"/);
});
