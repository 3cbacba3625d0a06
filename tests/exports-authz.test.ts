// Who may make and download each list's CSV (issue 9): the export routes and the background-job
// download both check the definition's area, so this table is the exports' authorization matrix.
// Money exports are finance's and the owner's; the audit log and the staff list the owner's only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportDefinition } from "../server/exports/registry";
import { canAccess, STAFF_ROLES, type StaffRole } from "../server/staff/roles";

const EXPECTED: Record<string, StaffRole[]> = {
  withdrawals: ["owner", "finance"],
  adjustments: ["owner", "finance"],
  orders: ["owner", "operator", "support"],
  "after-sales": ["owner", "operator", "support"],
  members: ["owner", "operator", "support"],
  risk: ["owner", "risk"],
  products: ["owner", "operator"],
  "low-stock": ["owner", "operator"],
  "stock-history": ["owner", "operator"],
  categories: ["owner", "operator"],
  audit: ["owner"],
  staff: ["owner"],
};

/** Every `exportRoute("kind")` under app/merchant. */
function routeKinds(dir = path.join(__dirname, "../app/merchant")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return routeKinds(p);
    if (name !== "route.ts") return [];
    return [...readFileSync(p, "utf8").matchAll(/exportRoute\("([\w-]+)"\)/g)].map((m) => m[1]!);
  });
}

describe("export authorization", () => {
  it.each(Object.entries(EXPECTED))("%s: exactly the expected roles", (kind, roles) => {
    const def = exportDefinition(kind);
    expect(def, `${kind} is registered`).not.toBeNull();
    expect(STAFF_ROLES.filter((r) => canAccess(r, def!.area))).toEqual(STAFF_ROLES.filter((r) => roles.includes(r)));
  });

  it("every list export route is registered and has a row here", () => {
    const kinds = routeKinds().sort();
    expect(kinds).toEqual(Object.keys(EXPECTED).sort());
  });
});
