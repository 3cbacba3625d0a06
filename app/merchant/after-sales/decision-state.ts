// The approve / reject dialogs of one request: which one is open, the refusal shown in it, and whether the row
// is out of date (decided meanwhile by another operator or the 48 h approval, or past its automatic approval time).
export type DecisionDialog = "approve" | "reject";

export interface DecisionState {
  open: DecisionDialog | null;
  error: string | null;
  /** The row no longer matches the server: no second try from it; the list is refetched when the dialog closes. */
  stale: boolean;
}

export type DecisionEvent =
  | { type: "open"; dialog: DecisionDialog }
  | { type: "refused"; text: string; code?: string | null }
  | { type: "close" };

/** Refusals (server/aftersales) that mean the row the operator saw is out of date. */
export const STALE_REFUSALS: readonly string[] = ["ALREADY_DECIDED", "AUTO_APPROVE_DUE"];

export const closedDecision: DecisionState = { open: null, error: null, stale: false };

export function decisionStep(state: DecisionState, event: DecisionEvent): DecisionState {
  switch (event.type) {
    case "open":
      // A refusal belongs to the dialog it answered: never shown in the next one.
      return { open: event.dialog, error: null, stale: false };
    case "refused":
      return { ...state, error: event.text, stale: state.stale || STALE_REFUSALS.includes(event.code ?? "") };
    case "close":
      return closedDecision;
  }
}
