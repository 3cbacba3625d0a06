// Distinct valid test resident ID numbers (GB 11643), for suites where several members verify their identity in one
// database: one ID number verifies one account (SPEC §6, server/wallet/identity.ts). Computed here, independently of
// the app's isValidIdNumber.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** The n-th (0–998) test ID number: 110105 (北京市朝阳区), born 1980-01-01, sequence n + 1, and its check character. */
export function testIdNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 998) throw new Error(`testIdNumber(${n}): 0–998`);
  const body = `11010519800101${String(n + 1).padStart(3, "0")}`;
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + CHECK[sum % 11];
}

let next = 0;
/** A different test ID number at each call (cycling through the 999 of testIdNumber): one per member verifying. */
export function nextTestIdNumber(): string {
  const id = testIdNumber(next);
  next = (next + 1) % 999;
  return id;
}
