// Replays every tests/scenarios/*.json and compares with its hand-reasoned *.expected.json (SPEC §10).
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../server/scenario/run";
import { ScenarioInputError } from "../server/scenario/input";
import { freshPglite } from "./helpers/db";

const dir = path.resolve(__dirname, "scenarios");
const files = readdirSync(dir).filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json")).sort();
const valid = files.filter((f) => existsSync(path.join(dir, f.replace(/\.json$/, ".expected.json"))));
const invalid = files.filter((f) => f.startsWith("invalid-"));

const read = (f: string) => JSON.parse(readFileSync(path.join(dir, f), "utf8"));

describe("scenario replay (SPEC §10)", () => {
  it("has scenario files", () => {
    expect(valid.length).toBeGreaterThanOrEqual(20);
  });
  for (const f of valid) {
    it(f.replace(/\.json$/, ""), async () => {
      const { _why, ...expected } = read(f.replace(/\.json$/, ".expected.json"));
      void _why;
      const actual = await runScenario(read(f), { open: freshPglite });
      expect(actual).toEqual(expected);
    });
  }
  for (const f of invalid) {
    it(`${f} is refused with a clear error`, async () => {
      const needles = readFileSync(path.join(dir, f.replace(/\.json$/, ".error.txt")), "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
      const err = await runScenario(read(f), { open: freshPglite }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ScenarioInputError);
      for (const n of needles) expect((err as Error).message).toContain(n);
    });
  }
});
