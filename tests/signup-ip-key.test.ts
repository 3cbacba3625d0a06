// SPEC §8 shared_ip and ip_burst count "one IP" as the SMS limit does (ipRateKey): an IPv4 address, or an IPv6
// subscriber's /64, in which phones rotate privacy addresses. Found in review: sign-up compared the raw address
// strings, so sign-ups from one /64 evaded both rules. Member.signupIpKey holds the key (the migration backfills it);
// signupIp stays the evidence.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { IP_BURST_COUNT, registerMember } from "../server/referral";
import { ipRateKey } from "../server/auth/otp";
import { riskCase } from "../server/risk/view";
import { productionWarnings } from "../server/env";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, listMigrations, type SqlRunner } from "../server/db/migrate";
import { PGLITE_EXTENSIONS } from "../server/db/extensions";
import { freshDatabase } from "./helpers/db";

const MIGRATION = "20261208010000_signup_ip_key";

const config = parseConfig({});
let database: Database;
let db: Db;
beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
});
afterAll(() => database.close());

let seq = 0;
const signUp = (now: Date, ip: string | null, sponsorId: number | null = null) =>
  inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: `u${++seq}`, sponsorId, ip, device: `dev-${seq}` }));
const eventsOf = async (memberId: number) =>
  (await db.riskEvent.findMany({ where: { memberIds: { has: memberId } }, orderBy: { id: "asc" } })).map((e) => [e.rule, e.evidence]);

describe("sign-up risk rules by IP key", () => {
  it("sign-ups from one IPv6 /64, each from another address: shared_ip with the sponsor, and the fifth is an ip_burst", async () => {
    expect(IP_BURST_COUNT).toBe(5);
    const now = new Date("2026-03-02T02:00:00Z");
    const s = await signUp(now, "2001:db8:1:2::1");
    // Four more from the sponsor's /64 (one written in capitals and in full): with the sponsor, five from the /64.
    const ips = ["2001:db8:1:2::2", "2001:db8:1:2:aaaa::3", "2001:DB8:0001:0002:0:0:0:4", "2001:db8:1:2:ffff:ffff:ffff:ffff"];
    const members = [];
    for (const ip of ips) members.push(await signUp(now, ip, s.id));
    for (const [i, m] of members.entries()) {
      // The raw address is the evidence and stays on the member; the key is the /64.
      const expected: unknown[] = [["shared_ip", { ip: ips[i] }]];
      if (i === 3) expected.push(["ip_burst", { ip: ips[i], signupsInWindow: 5 }]);
      expect(await eventsOf(m.id)).toEqual(expected);
      const row = await db.member.findUniqueOrThrow({ where: { id: m.id } });
      expect([row.signupIp, row.signupIpKey]).toEqual([ips[i], "2001:db8:1:2::/64"]);
    }
    expect(await db.riskFlag.count({ where: { memberId: { in: members.map((m) => m.id) } } })).toBe(5);
    // The reviewer's case lists the same /64's other sign-ups as "same IP".
    const sameIp = (await riskCase(db, members[0].id))!.sameIp.map((m) => m.id).sort((a, b) => a - b);
    expect(sameIp).toEqual([s.id, ...members.slice(1).map((m) => m.id)].sort((a, b) => a - b));
  });

  it("the scenario replay compares its IP texts as given (SPEC §10: equal texts only)", async () => {
    const now = new Date("2026-03-04T02:00:00Z");
    const given = (ip: string, sponsorId: number | null = null) =>
      inTx(db, { config, now }, (ctx) => registerMember(ctx, { username: `u${++seq}`, sponsorId, ip, ipAsGiven: true, device: `dev-${seq}` }));
    const s = await given("2001:db8:9:9::1");
    expect(await eventsOf((await given("2001:db8:9:9::2", s.id)).id)).toEqual([]);
    const t = await given("IP-A");
    expect(await eventsOf((await given("ip-a", t.id)).id)).toEqual([]);
    expect(await eventsOf((await given("IP-A", t.id)).id)).toEqual([["shared_ip", { ip: "IP-A" }]]);
  });

  it("the neighbouring /64 is another IP: no shared_ip, and it counts apart", async () => {
    const now = new Date("2026-03-03T02:00:00Z");
    const s = await signUp(now, "2001:db8:5:6::1");
    const m = await signUp(now, "2001:db8:5:7::1", s.id);
    expect(await eventsOf(m.id)).toEqual([]);
    expect((await db.member.findUniqueOrThrow({ where: { id: m.id } })).signupIpKey).toBe("2001:db8:5:7::/64");
  });

  it("an IPv4-mapped IPv6 address is the IPv4 address; IPv4 addresses count one by one", async () => {
    const now = new Date("2026-03-04T02:00:00Z");
    const s = await signUp(now, "198.51.100.9");
    const mapped = await signUp(now, "::ffff:198.51.100.9", s.id);
    expect(await eventsOf(mapped.id)).toEqual([["shared_ip", { ip: "::ffff:198.51.100.9" }]]);
    const other = await signUp(now, "198.51.100.10", s.id);
    expect(await eventsOf(other.id)).toEqual([]);
  });

  it("without an IP, neither rule runs", async () => {
    const now = new Date("2026-03-05T02:00:00Z");
    const s = await signUp(now, null);
    for (let i = 0; i < IP_BURST_COUNT; i++) expect(await eventsOf((await signUp(now, null, s.id)).id)).toEqual([]);
  });
});

it("the migration gives existing members ipRateKey of their sign-up IP, exactly", async () => {
  const ips = [
    "203.0.113.5", "2001:db8:1:2::1", "2001:DB8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8::", "0db8:0001:0:0a::1", "::1", "::",
    "0:0:0:1::5", "1:2:3:4:5:6:7:8", "::ffff:203.0.113.5", "::FFFF:cb00:7105", "::1.2.3.4", "fe80::1%eth0", "1::2::3", "unknown",
  ];
  const dir = mkdtempSync(path.join(tmpdir(), "fm-migrations-"));
  for (const m of listMigrations().filter((m) => m.name < MIGRATION)) cpSync(path.join(DEFAULT_MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const runner: SqlRunner = { exec: async (sql) => void (await pg.exec(sql)), query: async (sql, params) => (await pg.query<never>(sql, params)).rows };
  try {
    await applyMigrations(runner, dir);
    const values = [...ips, null].map((ip, i) => `(${i + 1}, 'm${i + 1}', 'C${i + 1}', ${ip === null ? "NULL" : `'${ip}'`}, '2026-03-01T00:00:00Z')`);
    await pg.exec(`INSERT INTO "Member" (id, username, "referralCode", "signupIp", "createdAt") VALUES ${values.join(", ")}`);
    await applyMigrations(runner, DEFAULT_MIGRATIONS_DIR);
    const rows = (await pg.query<{ signupIp: string | null; signupIpKey: string | null }>(`SELECT "signupIp", "signupIpKey" FROM "Member" ORDER BY id`)).rows;
    expect(rows).toEqual([...ips.map((ip) => ({ signupIp: ip, signupIpKey: ipRateKey(ip) })), { signupIp: null, signupIpKey: null }]);
    // By hand, as the SMS limit keys them.
    expect(rows.slice(0, 4).map((r) => r.signupIpKey)).toEqual(["203.0.113.5", "2001:db8:1:2::/64", "2001:db8:1:2::/64", "2001:db8:0:0::/64"]);
    expect(rows[9]!.signupIpKey).toBe("203.0.113.5");
  } finally {
    await pg.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("start-up warning without TRUST_PROXY", () => {
  it("says that sign-ups go unchecked for a shared IP", () => {
    const text = productionWarnings({ NODE_ENV: "production" }).join("\n");
    expect(text).toMatch(/TRUST_PROXY is not set/);
    expect(text).toMatch(/shared_ip, ip_burst/);
  });
});
