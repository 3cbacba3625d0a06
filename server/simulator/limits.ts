// Field limits of a simulation, shared by the domain check and the back-office form.
export const MAX_NAME_CHARS = 40;

/** Indexes of the rows whose (non-blank) code an earlier row already has. */
export function duplicateRows(codes: readonly string[]): number[] {
  const seen = new Set<string>();
  return codes.flatMap((c, i) => (c !== "" && seen.has(c) ? [i] : (seen.add(c), [])));
}
