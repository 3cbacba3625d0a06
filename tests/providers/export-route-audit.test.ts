// A list's CSV served at once (at or under FM_EXPORT_SYNC_MAX_ROWS) is in the audit log (review F3): who,
// which list, which filter (a phone masked, review F9) and how many rows; a refused filter serves nothing and
// writes nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshDatabase } from "../helpers/db";
import { signedInStaff } from "../helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));

let database: Database;
let ownerId: number;
beforeAll(async () => {
  database = await freshDatabase();
  holder.db = database.prisma;
  const owner = await signedInStaff(database.prisma, "owner");
  holder.staffToken = owner.token;
  ownerId = owner.id;
  for (const u of ["a", "b", "c"]) await inTx(database.prisma, {}, (ctx) => registerMember(ctx, { username: u, nickname: `会员${u}`, ip: `9.9.8.${u.charCodeAt(0)}`, device: `d-${u}` }));
});
afterAll(() => database.close());

const get = (path: string) => new Request(`http://127.0.0.1:3100${path}`, { headers: { "x-request-id": "req-export-1" } });
const downloads = () => database.prisma.auditLog.findMany({ where: { action: "export.downloaded" }, orderBy: { id: "asc" } });

describe("a direct CSV download", () => {
  it("the members list: one export.downloaded entry by the owner, with the list, its filter and its 3 rows", async () => {
    const { GET } = await import("../../app/merchant/members/export/route");
    const res = await GET(get("/merchant/members/export?frozen=no"));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const entries = await downloads();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: "staff", actorId: ownerId, target: "export:members", requestId: "req-export-1", data: { kind: "members", rows: 3, filter: { frozen: "no" } } });
  });

  it("the orders list by a full phone: the phone is masked in the entry", async () => {
    const { GET } = await import("../../app/merchant/orders/export/route");
    const res = await GET(get("/merchant/orders/export?phone=13800138000"));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const last = (await downloads()).at(-1)!;
    expect(last).toMatchObject({ actorId: ownerId, target: "export:orders", data: { kind: "orders", rows: 0, filter: { phone: "138****8000" } } });
    expect(JSON.stringify(last)).not.toContain("13800138000");
  });

  it("a refused filter (a partial phone) serves nothing and writes nothing", async () => {
    const before = (await downloads()).length;
    const { GET } = await import("../../app/merchant/orders/export/route");
    const res = await GET(get("/merchant/orders/export?phone=1380000"));
    expect(res.status).toBe(400);
    expect((await downloads()).length).toBe(before);
  });
});
