// A member's sign-up IP as the back office's read-only roles see it (server/members/admin.ts maskIp): enough
// to tell the network, never the member's own line; anything not understood is hidden whole.
import { describe, expect, it } from "vitest";
import { maskIp } from "../server/members/admin";

describe("maskIp", () => {
  it("keeps an IPv4 address's first two octets", () => {
    expect(maskIp("192.168.1.23")).toBe("192.168.*.*");
    expect(maskIp("::ffff:10.20.30.40")).toBe("10.20.*.*");
  });

  it("keeps an IPv6 address's first 32 bits, however it is written", () => {
    expect(maskIp("2408:8207:2470:9a30:1c2d:3e4f:5a6b:7c8d")).toBe("2408:8207:*");
    expect(maskIp("2001:DB8::1")).toBe("2001:db8:*");
    expect(maskIp("2001::8a2e:370:7334")).toBe("2001:0:*");
    expect(maskIp("::1")).toBe("0:0:*");
  });

  it("hides anything else whole", () => {
    for (const ip of ["", "unknown", "1.2.3", "1:2:3", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9"]) expect(maskIp(ip)).toBe("****");
  });
});
