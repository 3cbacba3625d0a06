// The embedded database's Prisma adapter (server/db/pglite-adapter.ts): each SQL text prepared once,
// values read back exactly as PGlite's own query gives them, the transaction lock respected, errors
// at COMMIT surfaced, and no more than MAX_PREPARED statements kept.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { Prisma } from "../server/db/generated/client";
import type { Database } from "../server/db";
import { MAX_PREPARED } from "../server/db/pglite-adapter";
import { freshPglite } from "./helpers/db";

type Pg = Database & { pglite: PGlite };
let db: Pg;
let parses = 0;

beforeEach(async () => {
  db = (await freshPglite()) as Pg;
  const p = db.pglite as unknown as { execProtocolStream(m: Uint8Array, o?: unknown): Promise<unknown> };
  const send = p.execProtocolStream.bind(p);
  // A batch that prepares holds a Parse message ('P'), first or after a Close ('C').
  p.execProtocolStream = (m, o) => {
    if (m[0] === 0x50 || (m[0] === 0x43 && m.includes(0x50))) parses++;
    return send(m, o);
  };
  await db.prisma.$executeRawUnsafe(`CREATE TABLE probe (id serial PRIMARY KEY, n int, big bigint, t text, at timestamp(3), j jsonb, d numeric(12,2), b bytea, ok boolean, tags text[])`);
  parses = 0;
});
afterEach(() => db.close());

describe("PGlite adapter", () => {
  it("reads back every kind of value as written", async () => {
    const at = new Date("2026-12-03T08:09:10.123Z");
    await db.prisma.$executeRaw`INSERT INTO probe (n, big, t, at, j, d, b, ok, tags)
      VALUES (${-7}, ${9007199254740993n}, ${"引号 ' \" \\ 和 {逗号,}"}, ${at}, ${JSON.stringify({ fen: 1999, list: [1, null] })}::jsonb,
              ${new Prisma.Decimal("12.34")}, ${Buffer.from([0, 255, 16])}, ${true}, ${["a,b", "c\"d", "e"]})`;
    await db.prisma.$executeRaw`INSERT INTO probe (n) VALUES (${null})`;
    const rows = await db.prisma.$queryRaw<Record<string, unknown>[]>`SELECT n, big, t, at, j, d, b, ok, tags FROM probe ORDER BY id`;
    expect(rows[0]).toEqual({
      n: -7,
      big: 9007199254740993n,
      t: "引号 ' \" \\ 和 {逗号,}",
      at,
      j: { fen: 1999, list: [1, null] },
      d: new Prisma.Decimal("12.34"),
      b: new Uint8Array([0, 255, 16]),
      ok: true,
      tags: ["a,b", "c\"d", "e"],
    });
    expect(rows[1].n).toBeNull();
    expect(rows[1].tags).toBeNull();
  });

  it("prepares a text once and runs it again without parsing", async () => {
    for (let i = 1; i <= 5; i++) await db.prisma.$executeRaw`INSERT INTO probe (n) VALUES (${i})`;
    expect(parses).toBe(1);
    const sums = [];
    for (let i = 0; i < 3; i++) sums.push(await db.prisma.$queryRaw<{ s: number }[]>`SELECT sum(n)::int AS s FROM probe WHERE n > ${i}`);
    expect(sums.map((r) => r[0].s)).toEqual([15, 14, 12]);
    expect(parses).toBe(2);
  });

  it("keeps at most MAX_PREPARED statements, closing the least recently used", async () => {
    const first = () => db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT 1::int AS n`);
    await first();
    for (let i = 0; i < MAX_PREPARED; i++) {
      await db.prisma.$queryRawUnsafe(`SELECT ${i}::int AS n`);
      if (i === MAX_PREPARED / 2) await first(); // used again: now the most recent
    }
    const [{ count }] = await db.prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM pg_prepared_statements`;
    expect(count).toBe(MAX_PREPARED);
    const before = parses;
    await expect(first()).resolves.toEqual([{ n: 1 }]);
    expect(parses).toBe(before); // still prepared
    await db.prisma.$queryRawUnsafe(`SELECT 0::int AS n`); // the least recent, closed: prepared again
    expect(parses).toBe(before + 1);
  });

  it("does not keep a statement that failed to prepare, and the next one works", async () => {
    await expect(db.prisma.$queryRawUnsafe(`SELECT nope FROM probe`)).rejects.toThrow(/nope/);
    await expect(db.prisma.$queryRawUnsafe(`SELECT nope FROM probe`)).rejects.toThrow(/nope/);
    await db.prisma.$executeRawUnsafe(`ALTER TABLE probe ADD COLUMN nope int`);
    await expect(db.prisma.$queryRawUnsafe(`SELECT nope FROM probe`)).resolves.toEqual([]);
  });

  it("runs a query outside a transaction only after an open transaction ends", async () => {
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    const tx = db.prisma
      .$transaction(async (t) => {
        await t.$executeRaw`INSERT INTO probe (n) VALUES (1)`;
        inside();
        await held;
        throw new Error("rolled back on purpose");
      })
      .catch((e: Error) => e.message);
    await entered;
    // then() sends it now (a Prisma query starts when awaited); the pause lets it reach the database.
    const count = db.prisma.$queryRaw<{ c: number }[]>`SELECT count(*)::int AS c FROM probe`.then((r) => r[0].c);
    await new Promise((r) => setTimeout(r, 100));
    finish();
    expect(await tx).toBe("rolled back on purpose");
    expect(await count).toBe(0); // it did not run inside the transaction, which had one row
  });

  it("surfaces an error raised at COMMIT and keeps nothing of the transaction", async () => {
    await db.prisma.$executeRawUnsafe(`CREATE TABLE parent (id int PRIMARY KEY)`);
    await db.prisma.$executeRawUnsafe(`CREATE TABLE child (p int REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    await expect(
      db.prisma.$transaction(async (t) => {
        await t.$executeRaw`INSERT INTO probe (n) VALUES (1)`;
        await t.$executeRaw`INSERT INTO child (p) VALUES (42)`;
      }),
    ).rejects.toThrow(/foreign key|child/);
    const [{ c }] = await db.prisma.$queryRaw<{ c: number }[]>`SELECT count(*)::int AS c FROM probe`;
    expect(c).toBe(0);
  });
});
