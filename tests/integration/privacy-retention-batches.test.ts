// The retention sweep works in bounded batches (server/privacy/retention.ts): a call stops after maxBatches, the next goes
// on; two sweepers at once share the rows (SKIP LOCKED) and delete each once.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import type { ObjectStorage } from "../../server/storage";
import { runRetentionSweep } from "../../server/privacy/retention";
import { freshDatabase } from "../helpers/db";

const DAY = 86_400_000;
const now = new Date("2026-12-16T04:00:00Z");
const noFiles: ObjectStorage = { put: async () => {}, get: async () => null, putStream: async () => {}, getStream: async () => null, delete: async () => {} };

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

/** `n` SMS codes sent 100 days ago, and one sent yesterday. */
async function codes(n: number) {
  const old = new Date(now.getTime() - 100 * DAY);
  const row = (createdAt: Date) => ({ phoneHash: "p", codeHash: "c", createdAt, expiresAt: new Date(createdAt.getTime() + 300_000) });
  await database.prisma.otpCode.createMany({ data: [...Array.from({ length: n }, () => row(old)), row(new Date(now.getTime() - DAY))] });
}

describe("retention sweep batches", () => {
  it("1 200 old codes, batches of 500, 2 batches a call: 1 000, then the 200 left; the code of yesterday stays", async () => {
    await codes(1200);
    const opts = { batchSize: 500, maxBatches: 2 };
    expect(await runRetentionSweep(database.prisma, noFiles, now, opts)).toMatchObject({ otpCodes: 1000, done: false });
    expect(await database.prisma.otpCode.count()).toBe(201);
    expect(await runRetentionSweep(database.prisma, noFiles, now, opts)).toMatchObject({ otpCodes: 200, done: true });
    expect(await database.prisma.otpCode.count()).toBe(1);
  });

  it("two sweepers at once delete the 1 200 codes between them, each row once", async () => {
    await codes(1200);
    const opts = { batchSize: 100, maxBatches: 50 };
    const [a, b] = await Promise.all([runRetentionSweep(database.prisma, noFiles, now, opts), runRetentionSweep(database.prisma, noFiles, now, opts)]);
    // A sweeper that finds the rest locked by the other stops; the other finishes them: 1 200 in all, whatever the split.
    expect((a?.otpCodes ?? 0) + (b?.otpCodes ?? 0)).toBe(1200);
    expect(await database.prisma.otpCode.count()).toBe(1);
  });
});
