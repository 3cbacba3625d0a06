// npm run scenario -- FILE.json [--figures] : replays a scenario (SPEC §10) and prints one JSON document:
// its output, or with --figures the what-if simulator's figures for it (a downloaded simulator scenario
// gives the figures its run showed).
import { readFileSync } from "node:fs";
import { runScenario } from "../server/scenario/run";
import { parseScenario, ScenarioInputError } from "../server/scenario/input";
import { scenarioFigures } from "../server/simulator/run";
import { DomainError } from "../server/context";

const args = process.argv.slice(2);
const figures = args.includes("--figures");
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: npm run scenario -- FILE.json [--figures]");
  process.exit(2);
}
let raw: unknown;
try {
  raw = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`cannot read ${file}: ${(e as Error).message}`);
  process.exit(2);
}
try {
  const out = figures ? await scenarioFigures(raw as { events: Record<string, unknown>[] }, parseScenario(raw).config.timeZone) : await runScenario(raw);
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
} catch (e) {
  // A DomainError escapes only from the setup (a product text making an earnings claim): the input is at fault.
  if (e instanceof ScenarioInputError || e instanceof DomainError) {
    console.error(`invalid scenario: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
}
