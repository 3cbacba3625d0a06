// Replays tests/scenarios/*.json and compares with the hand-reasoned *.expected.json (SPEC §10).
// Split over several test files so the workers replay them in parallel.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../server/scenario/run";
import { ScenarioInputError } from "../../server/scenario/input";
import { reusablePglite } from "./db";

export const SCENARIO_DIR = path.resolve(import.meta.dirname, "../scenarios");
const read = (f: string) => JSON.parse(readFileSync(path.join(SCENARIO_DIR, f), "utf8"));

export function scenarioFiles() {
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json")).sort();
  return {
    valid: files.filter((f) => existsSync(path.join(SCENARIO_DIR, f.replace(/\.json$/, ".expected.json")))),
    invalid: files.filter((f) => f.startsWith("invalid-")),
  };
}

export function defineScenarioSuite(title: string, include: (file: string) => boolean) {
  const { valid, invalid } = scenarioFiles();
  describe(title, () => {
    for (const f of valid.filter(include)) {
      it(f.replace(/\.json$/, ""), async () => {
        const { _why, ...expected } = read(f.replace(/\.json$/, ".expected.json"));
        void _why;
        const actual = await runScenario(read(f), { open: reusablePglite });
        expect(actual).toEqual(expected);
      });
    }
    for (const f of invalid.filter(include)) {
      it(`${f} is refused with a clear error`, async () => {
        const needles = readFileSync(path.join(SCENARIO_DIR, f.replace(/\.json$/, ".error.txt")), "utf8")
          .split("\n")
          .map((s) => s.trim())
          .filter(Boolean);
        const err = await runScenario(read(f), { open: reusablePglite }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ScenarioInputError);
        for (const n of needles) expect((err as Error).message).toContain(n);
      });
    }
  });
}
