// Scenario contract (SPEC §10), part 1: the core engine (issue "Foundation and rule engine").
import { expect, it } from "vitest";
import { defineScenarioSuite, scenarioFiles } from "./helpers/scenario-suite";

it("has at least 20 core and 15 tier/risk scenario files", () => {
  const { valid } = scenarioFiles();
  expect(valid.filter((f) => f.startsWith("core-")).length).toBeGreaterThanOrEqual(20);
  expect(valid.filter((f) => f.startsWith("risk-") || f.startsWith("tier-")).length).toBeGreaterThanOrEqual(15);
});

defineScenarioSuite("scenario replay: core rules", (f) => f.startsWith("core-") || f.startsWith("invalid-"));
