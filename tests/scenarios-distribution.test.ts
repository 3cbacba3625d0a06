// Scenario contract (SPEC §10), part 3: who may earn (分销资格, §4) and the stepped sales bonus (阶梯奖励, §7).
import { expect, it } from "vitest";
import { defineScenarioSuite, scenarioFiles } from "./helpers/scenario-suite";

it("has at least 8 distribution / stepped bonus scenario files", () => {
  expect(scenarioFiles().valid.filter((f) => f.startsWith("dist-")).length).toBeGreaterThanOrEqual(8);
});

defineScenarioSuite("scenario replay: distributors and stepped bonus", (f) => f.startsWith("dist-"));
