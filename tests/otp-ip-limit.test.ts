// The per-IP SMS-code limit (server/auth/otp.ts): an IPv6 client counts by its /64, so one subscriber's
// 2^64 addresses share one budget; an IPv4-mapped IPv6 address counts as the IPv4 address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { ipRateKey, OtpError, sendSignInCode, SEND_PER_IP_PER_HOUR } from "@/server/auth/otp";
import { freshDatabase } from "@/tests/helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

let n = 0;
/** A phone number not used before in this file (each phone has its own 60 s interval). */
const nextPhone = () => `1390000${String(++n).padStart(4, "0")}`;
const send = (ip: string, at: Date) => sendSignInCode(database.prisma, nextPhone(), ip, at).then(() => "sent", (e: unknown) => (e instanceof OtpError ? e.code : e));

describe("ipRateKey", () => {
  it("keys IPv6 by its /64 in one spelling, IPv4 and IPv4-mapped IPv6 by the IPv4 address", () => {
    for (const ip of ["2001:db8:1:2::", "2001:db8:1:2:aaaa::1", "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2:0:0:1.2.3.4"]) {
      expect(ipRateKey(ip)).toBe("2001:db8:1:2::/64");
    }
    expect(ipRateKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(ipRateKey("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(ipRateKey("::1")).toBe("0:0:0:0::/64");
    expect(ipRateKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(ipRateKey("203.0.113.5")).toBe("203.0.113.5");
    expect(ipRateKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
    // 0xcb00 = 203.0, 0x7105 = 113.5
    expect(ipRateKey("::FFFF:cb00:7105")).toBe("203.0.113.5");
  });
});

describe("the per-IP hourly limit", () => {
  it("is shared by every address of one IPv6 /64, and not by the next /64", async () => {
    const t = new Date("2026-12-01T08:00:00Z");
    for (let i = 1; i <= SEND_PER_IP_PER_HOUR; i++) expect(await send(`2001:db8:1:2::${i.toString(16)}`, t)).toBe("sent");
    expect(await send("2001:db8:1:2:ffff:ffff:ffff:ffff", t)).toBe("IP_LIMIT");
    expect(await send("2001:db8:1:3::1", t)).toBe("sent");
    expect(await send("2001:db8:1:2::1", new Date(t.getTime() + 3_600_001))).toBe("sent");
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", async () => {
    const t = new Date("2026-12-02T08:00:00Z");
    for (let i = 1; i < SEND_PER_IP_PER_HOUR; i++) expect(await send("198.51.100.7", t)).toBe("sent");
    expect(await send("::ffff:198.51.100.7", t)).toBe("sent");
    expect(await send("198.51.100.7", t)).toBe("IP_LIMIT");
    expect(await send("::ffff:198.51.100.7", t)).toBe("IP_LIMIT");
    expect(await send("198.51.100.8", t)).toBe("sent");
  });
});
