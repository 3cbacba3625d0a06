// Staff roles and what each may reach (issue 9). The owner passes every check.
export const STAFF_ROLES = ["owner", "operator", "finance", "risk", "support"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles whose accounts must have a TOTP second factor (enrolment is enforced at first sign-in). */
export const MFA_REQUIRED_ROLES: readonly StaffRole[] = ["owner", "finance"];

/** Whether `role` must have TOTP: always for MFA_REQUIRED_ROLES, for every role while the shop requires it (server/staff/policy.ts). */
export function mfaRequired(role: StaffRole, shopRequiresTotp = false): boolean {
  return shopRequiresTotp || MFA_REQUIRED_ROLES.includes(role);
}

export function isStaffRole(v: unknown): v is StaffRole {
  return typeof v === "string" && (STAFF_ROLES as readonly string[]).includes(v);
}

/** Whether `role` is one of `allowed` (the owner always is). An empty list means owner only. */
export function roleAllowed(role: StaffRole, allowed: readonly StaffRole[]): boolean {
  return role === "owner" || allowed.includes(role);
}

/**
 * Back-office areas and the roles (besides the owner) that may open them. Routers, page gates and
 * the sidebar all read this one table, so a page and its procedures cannot disagree.
 */
export const AREA_ROLES = {
  home: ["operator", "finance", "risk", "support"],
  /** Read-only lookups of orders and members. */
  ordersRead: ["operator", "support"],
  ordersWrite: ["operator"],
  products: ["operator"],
  afterSales: ["operator"],
  membersRead: ["operator", "support"],
  membersWrite: ["operator"],
  withdrawals: ["finance"],
  adjustments: ["finance"],
  moneyExports: ["finance"],
  /** The withdrawal fee and the two-person threshold: owner only, or finance could lift its own check. */
  moneySettings: [],
  risk: ["risk"],
  /** Dead-lettered background jobs (refunds and payouts among them). */
  jobs: ["finance"],
  /** Providers' daily bills against our payments and refunds. */
  reconciliation: ["finance"],
  audit: [],
  staff: [],
  /** Program rules: the operator who runs the campaigns may read them; only the owner changes them (money and compliance). */
  rulesRead: ["operator"],
  rulesWrite: [],
  /** The KPI dashboard: the operator runs the campaigns, finance watches payouts and liabilities. */
  kpi: ["operator", "finance"],
} as const satisfies Record<string, readonly StaffRole[]>;
export type Area = keyof typeof AREA_ROLES;

export function canAccess(role: StaffRole, area: Area): boolean {
  return roleAllowed(role, AREA_ROLES[area]);
}
