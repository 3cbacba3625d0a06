// npm run scenario -- FILE.json : replays a scenario (SPEC §10) and prints one JSON document.
import { readFileSync } from "node:fs";
import { runScenario } from "../server/scenario/run";
import { ScenarioInputError } from "../server/scenario/input";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run scenario -- FILE.json");
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
  const out = await runScenario(raw);
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
} catch (e) {
  if (e instanceof ScenarioInputError) {
    console.error(`invalid scenario: ${e.message}`);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
}
