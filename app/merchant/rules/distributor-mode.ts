// What a change of 分销资格 does to members already in the shop, said before it is saved (SPEC §4: once a
// distributor, always one; the status is decided at each payment, never back-dated).
import type { MallConfig } from "@/server/config/schema";

// As the form holds them: a field being typed may be empty.
type Commission = Partial<Pick<MallConfig["commission"], "distributorMode" | "distributorMinSpendFen">>;

export type DistributorModeNote = "rules.c.modeNote.toEveryone" | "rules.c.modeNote.fromEveryone" | "rules.c.modeNote.change";

/** The note for changing the saved rule `saved` to `next`; null when nothing about who may earn changes. */
export function distributorModeNote(saved: Commission | undefined, next: Commission): DistributorModeNote | null {
  if (!saved?.distributorMode || !next.distributorMode) return null;
  const thresholdChanged = next.distributorMode === "spend" && saved.distributorMode === "spend" && saved.distributorMinSpendFen !== next.distributorMinSpendFen;
  if (saved.distributorMode === next.distributorMode && !thresholdChanged) return null;
  if (next.distributorMode === "everyone") return "rules.c.modeNote.toEveryone";
  if (saved.distributorMode === "everyone") return "rules.c.modeNote.fromEveryone";
  return "rules.c.modeNote.change";
}
