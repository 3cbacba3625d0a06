// inTx runs a transaction again when PostgreSQL aborted it as a deadlock victim or a serialization
// failure, a bounded number of times; any other error (and every refusal) reaches the caller at once.
import { describe, expect, it } from "vitest";
import type { Db } from "../server/db";
import { DomainError, inTx, isRetryableTxError, TX_ATTEMPTS } from "../server/context";
import { parseConfig } from "../server/config/schema";

const config = parseConfig({});
const deadlock = () => Object.assign(new Error("Raw query failed. Code: `40P01`. Message: `deadlock detected`"), { code: "P2010", meta: { code: "40P01" } });

/** A stand-in for the client: $transaction hands fn a transaction and counts the attempts. */
function fakeDb(failures: (() => Error)[]) {
  let attempts = 0;
  const db = {
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      attempts++;
      const failure = failures.shift();
      const result = await fn({});
      if (failure) throw failure();
      return result;
    },
  };
  return { db: db as unknown as Db, attempts: () => attempts };
}

describe("inTx retries", () => {
  it("recognises deadlocks and serialization failures, not refusals or other errors", () => {
    expect(isRetryableTxError(deadlock())).toBe(true);
    expect(isRetryableTxError(Object.assign(new Error("write conflict"), { code: "P2034" }))).toBe(true);
    expect(isRetryableTxError(new Error("could not serialize access due to concurrent update (SQLSTATE 40001)"))).toBe(true);
    expect(isRetryableTxError(new DomainError("X", "40P01 in a message"))).toBe(false);
    expect(isRetryableTxError(new Error("unique constraint failed"))).toBe(false);
    expect(isRetryableTxError("40P01")).toBe(false);
  });

  it("runs a deadlocked transaction again and returns its result", async () => {
    const { db, attempts } = fakeDb([deadlock, deadlock]);
    await expect(inTx(db, { config }, async () => "done")).resolves.toBe("done");
    expect(attempts()).toBe(3);
  });

  it(`gives up after ${TX_ATTEMPTS} attempts with the database's error`, async () => {
    const { db, attempts } = fakeDb(Array.from({ length: 10 }, () => deadlock));
    await expect(inTx(db, { config }, async () => "done")).rejects.toThrow(/40P01/);
    expect(attempts()).toBe(TX_ATTEMPTS);
  });

  it("never repeats a transaction that failed for another reason", async () => {
    const { db, attempts } = fakeDb([() => new DomainError("NO", "refused")]);
    await expect(inTx(db, { config }, async () => "done")).rejects.toThrow("refused");
    expect(attempts()).toBe(1);
  });
});
