// A wall-clock time in the shop's zone (the rules form's datetime-local) as an instant: the same whatever the
// zone of the process that converts it.
import { afterEach, describe, expect, it } from "vitest";
import { zonedWallTime } from "../server/clock/time";

const processZone = process.env.TZ;
afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

describe("zonedWallTime", () => {
  for (const zone of ["UTC", "Asia/Shanghai", "America/New_York"]) {
    it(`reads the wall time in the given zone under TZ=${zone}`, () => {
      process.env.TZ = zone;
      // Shanghai is UTC+8 all year: midnight there is 16:00 UTC the day before.
      expect(zonedWallTime("2026-12-10T00:00", "Asia/Shanghai")?.toISOString()).toBe("2026-12-09T16:00:00.000Z");
      expect(zonedWallTime("2026-06-01T09:30:15", "Asia/Shanghai")?.toISOString()).toBe("2026-06-01T01:30:15.000Z");
      expect(zonedWallTime("2026-12-10T00:00", "UTC")?.toISOString()).toBe("2026-12-10T00:00:00.000Z");
      // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 is moved on by the hour (03:30 EDT = 07:30 UTC).
      expect(zonedWallTime("2026-03-08T02:30", "America/New_York")?.toISOString()).toBe("2026-03-08T07:30:00.000Z");
      // 2026-11-01: 01:30 happens twice (EDT, then EST); the first is 05:30 UTC.
      expect(zonedWallTime("2026-11-01T01:30", "America/New_York")?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    });
  }

  it("refuses what is no wall time", () => {
    for (const s of ["2026-02-30T00:00", "2026-12-10", "2026-12-10T24:00", "2026-12-10T00:60", "2026-12-10 00:00", ""]) expect(zonedWallTime(s, "Asia/Shanghai"), s).toBeNull();
  });
});
