// Rule set B beside A (the rules in force): how B is built from its changes, and whether it differs at all. Pure, so
// the form says "B = A" while it is edited, from the same code as the stored run's result.
import type { MallConfig } from "../config/schema";
import { sameRules } from "../rules/rebase";

/** B's changes to the rules in force, by section (each section's keys replace A's). */
export type RuleSetChanges = Record<string, unknown>;

/** B = A with each changed section's keys replaced (a whole array, e.g. commission.ratesBps, is replaced). */
export function applyChanges(a: MallConfig, changes: RuleSetChanges): unknown {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(changes)) {
    const base = (a as Record<string, unknown>)[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && base && typeof base === "object" && !Array.isArray(base) ? { ...base, ...v } : v;
  }
  return out;
}

/** Whether rule set B has exactly A's settings (whatever the order of their keys): its figures would only repeat A's. */
export function ruleSetBSameAsA(a: unknown, b: unknown): boolean {
  return sameRules(a, b);
}
