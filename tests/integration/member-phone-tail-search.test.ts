// /merchant/members: a search by a phone's last four digits (尾号, as merchants look people up) found nobody; only the
// full number did (its lookup hash). Four digits now also match the members whose phone ends with them (the end of
// phoneMasked, "138****0007"); a full number still goes through the lookup hash alone. No index was added for it: the
// nickname and username "contains" it is OR'd with scan Member already, and trigram indexes would cost every sign-up.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, PrismaClient } from "../../server/db";
import { parseConfig } from "../../server/config/schema";
import { phoneFields } from "../../server/auth/crypto";
import { listMembers } from "../../server/members/admin";
import { freshLoggedDatabase } from "../helpers/logged-db";

const config = parseConfig({});
let database: Database;
let logged: PrismaClient;

beforeAll(async () => {
  ({ database, logged } = await freshLoggedDatabase());
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  const phones: [string, string][] = [
    ["tail-a", "13800000007"],
    ["tail-b", "13912340007"],
    ["tail-c", "13800001234"],
    // 0007 in the middle of the number, not its end.
    ["tail-d", "13800071234"],
  ];
  for (const [username, phone] of phones) {
    const p = phoneFields(phone);
    await db.member.create({ data: { username, referralCode: username.toUpperCase(), createdAt: new Date("2026-03-01T00:00:00Z"), phoneHash: p.hash, phoneEnc: p.enc, phoneMasked: p.masked } });
  }
});
afterAll(async () => {
  await logged.$disconnect();
  await database.close();
});

const search = async (q: string) => (await listMembers(database.prisma, config, { q }, { page: 1, pageSize: 20 })).rows.map((r) => r.username).sort();

it("four digits find the members whose phone ends with them; a full number finds its member alone", async () => {
  expect(await search("0007")).toEqual(["tail-a", "tail-b"]);
  expect(await search(" 1234 ")).toEqual(["tail-c", "tail-d"]);
  expect(await search("9999")).toEqual([]);
  expect(await search("13800000007")).toEqual(["tail-a"]);
  expect(await search("138 0000 1234")).toEqual(["tail-c"]);
  // Neither a tail nor a full number: nothing by the phone (the masked middle is not searched).
  expect(await search("007")).toEqual([]);
  expect(await search("1380000")).toEqual([]);
});
