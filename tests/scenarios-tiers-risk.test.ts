// Scenario contract (SPEC §10), part 2: tiers, team bonus and risk control (issue "Engine, part 2").
import { defineScenarioSuite } from "./helpers/scenario-suite";

defineScenarioSuite("scenario replay: tiers and risk", (f) => f.startsWith("risk-") || f.startsWith("tier-"));
