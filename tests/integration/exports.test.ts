// List exports (issue 9): every list pages through its own search in batches larger than its page
// size without losing or repeating a row; files are UTF-8 with a BOM and money in 元 with two decimals;
// a background job writes the same file with its progress; a worker that lost its job to another (it
// stalled past the stale window) changes nothing once it resumes and stops, and its upload stores nothing;
// an upload beats as it runs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { adjustStock, createSimpleProduct, saveProduct } from "../../server/catalog/admin";
import { audit } from "../../server/audit";
import { exportDefinition } from "../../server/exports/registry";
import { csvStream } from "../../server/exports/csv";
import { EXPORT_RETENTION_DAYS, expireExports, myExports, openExportFile, queueExport, runQueuedExports, STALE_MS } from "../../server/exports/jobs";
import { LocalDiskStorage, type ByteSource, type ObjectStorage } from "../../server/storage";
import { freshDatabase } from "../helpers/db";
import { shippedOrderWithRefundRequest } from "../helpers/aftersales";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

let database: Database;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, {}, fn);

beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

/** A finished job's file as its requester downloads it, as text (the BOM kept: Response.text() would drop it). */
async function downloaded(storage: ObjectStorage, staff: { staffId: number; role: "owner" }, id: number): Promise<string> {
  const file = await openExportFile(database.prisma, storage, staff, id);
  return Buffer.from(await new Response(file.body).arrayBuffer()).toString("utf8");
}

async function csvOf(kind: string, search: string): Promise<string[]> {
  const def = exportDefinition(kind)!;
  const filter = def.fromSearch(new URLSearchParams(search));
  expect(filter).not.toBeNull();
  const stream = csvStream(def.columns("Asia/Shanghai"), def.rows(database.prisma, filter, "Asia/Shanghai"));
  const text = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return text.slice(1).trim().split("\n");
}

describe("list exports", () => {
  it("orders: every row once across batches, amounts in 元 with two decimals", async () => {
    await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_905, category: "tea", stock: 1_000 });
    const m = (await run((ctx) => registerMember(ctx, { username: "buyer", nickname: "买家甲", ip: "1.1.1.1", device: "d" }))).id;
    for (let i = 0; i < 105; i++) await run((ctx) => createOrder(ctx, { memberId: m, lines: [{ sku: "tea", qty: 1 }], address: "地址" }));
    const def = exportDefinition("orders")!;
    expect(await def.count(database.prisma, {}, "Asia/Shanghai")).toBe(105);
    const rows: { orderNo: string }[] = [];
    for await (const r of def.rows(database.prisma, {}, "Asia/Shanghai")) rows.push(r);
    expect(new Set(rows.map((r) => r.orderNo)).size).toBe(105);
    const lines = await csvOf("orders", "status=PENDING_PAYMENT&sort=createdAt.asc");
    expect(lines).toHaveLength(106);
    expect(lines[0]).toContain("商品金额(元)");
    expect(lines[1]).toContain(",龙井 ×1,1,99.05,99.05,0.00,待付款,");
    expect(exportDefinition("orders")!.fromSearch(new URLSearchParams("from=yesterday"))).toBeNull();
  });

  it("risk: the members with open flags and their rules", async () => {
    const sponsor = (await run((ctx) => registerMember(ctx, { username: "s", ip: "5.5.5.5", device: "a" }))).id;
    await run((ctx) => registerMember(ctx, { username: "f", nickname: "同IP会员", sponsorId: sponsor, ip: "5.5.5.5", device: "b" }));
    const lines = await csvOf("risk", "");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("同IP会员,与上级同一 IP,");
    expect(await csvOf("risk", "rule=ip_burst")).toHaveLength(1);
  });

  it("after-sales: the pending queue by default, every request with status=all; refund amount in 元", async () => {
    const { order } = await shippedOrderWithRefundRequest(database, { reason: "damaged", detail: "盒子压坏" });
    const lines = await csvOf("after-sales", "");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("退款金额(元)");
    expect(lines[1]).toContain(`,${order.orderNo},买家甲,龙井 ×1,123.45,0.00,商品破损,盒子压坏,0,待商家处理,待收货,`);
    expect(await csvOf("after-sales", "status=REJECTED")).toHaveLength(1);
    expect(await csvOf("after-sales", "status=all&orderNo=" + order.orderNo)).toHaveLength(2);
    expect(exportDefinition("after-sales")!.fromSearch(new URLSearchParams("status=bogus"))).toBeNull();
  });

  it("catalogue: products one row per SKU, the low-stock list, the stock history with who, the categories with their rates", async () => {
    await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_905, category: "tea", stock: 1_000 });
    const tee = await run((ctx) =>
      saveProduct(ctx, null, null, {
        name: "T恤",
        category: "tea",
        optionGroups: [{ name: "颜色", values: ["红", "蓝"] }],
        skus: [
          { options: ["红"], code: "tee-red", priceFen: 5_990, stock: 3 },
          { options: ["蓝"], code: "tee-blue", priceFen: 6_990, stock: 20 },
        ],
      }),
    );
    const products = await csvOf("products", "");
    expect(products[0]).toBe("商品 ID,商品,分类,规格,SKU 编码,售价(元),库存,上架,排序");
    expect(products.slice(1)).toEqual([`${tee.id - 1},龙井,茗茶,,tea,99.05,1000,是,0`, `${tee.id},T恤,茗茶,颜色：红,tee-red,59.90,3,是,0`, `${tee.id},T恤,茗茶,颜色：蓝,tee-blue,69.90,20,是,0`]);
    expect(await csvOf("products", "q=tee&shelf=on")).toHaveLength(3);
    expect(await csvOf("products", "shelf=off")).toHaveLength(1);

    // Default threshold 10: only the red one; at 20 the blue one too, emptiest first.
    expect((await csvOf("low-stock", "")).slice(1)).toEqual(["T恤,颜色：红,tee-red,59.90,3"]);
    expect((await csvOf("low-stock", "threshold=20")).slice(1)).toEqual(["T恤,颜色：红,tee-red,59.90,3", "T恤,颜色：蓝,tee-blue,69.90,20"]);
    expect(exportDefinition("low-stock")!.fromSearch(new URLSearchParams("threshold=-1"))).toBeNull();

    const staff = await database.prisma.staffAccount.create({ data: { username: "op-li", displayName: "李运营", role: "operator", passwordHash: "-", createdAt: new Date() } });
    const red = await database.prisma.sku.findUniqueOrThrow({ where: { code: "tee-red" } });
    await run((ctx) => adjustStock(ctx, { staffId: staff.id }, { skuId: red.id, delta: -2, reason: "盘点损耗" }));
    const history = await csvOf("stock-history", "");
    expect(history[0]).toBe("时间,商品,规格,SKU 编码,调整,调整后库存,原因,操作人");
    expect(history[1]).toMatch(/,T恤,颜色：红,tee-red,-2,1,盘点损耗,李运营 \(op-li\)$/);

    expect((await csvOf("categories", "")).slice(1)).toEqual(["tea,茗茶,0,2,10%,5%,2%,默认比例"]);

    const staffLines = await csvOf("staff", "");
    expect(staffLines[0]).toContain("角色");
    expect(staffLines[1]).toMatch(new RegExp(`^${staff.id},op-li,李运营,运营,未开启,正常,,`));
    expect(staffLines.join("\n")).not.toContain("passwordHash");
  });

  it("a background job writes the audit log's and the member list's files with their progress; only its requester downloads", async () => {
    const owner = await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } });
    for (let i = 0; i < 1_203; i++) {
      await audit(database.prisma, { actor: { type: "staff", id: owner.id }, action: i % 2 ? "catalog.product.update" : "member.frozen", target: `member:${i}`, before: { n: i }, now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
    }
    for (let i = 0; i < 3; i++) await run((ctx) => registerMember(ctx, { username: `m${i}`, nickname: `会员${i}`, ip: `9.9.9.${i}`, device: `d${i}` }));
    const dir = mkdtempSync(path.join(tmpdir(), "fm-exports-"));
    try {
      const storage = new LocalDiskStorage(dir);
      const auditDef = exportDefinition("audit")!;
      const filter = auditDef.fromSearch(new URLSearchParams("action=member."));
      expect(await auditDef.count(database.prisma, filter, "Asia/Shanghai")).toBe(602);
      const auditJob = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "audit", filter, rowsTotal: 602, fileName: "操作日志.csv" }));
      const memberJob = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "members", filter: { sort: "createdAt.asc" }, rowsTotal: 3, fileName: "会员列表.csv" }));
      expect(await runQueuedExports(database.prisma, storage)).toBe(2);
      const mine = await myExports(database.prisma, { staffId: owner.id, role: "owner" });
      expect(mine.find((j) => j.id === auditJob.id)).toMatchObject({ status: "DONE", rowsDone: 602, rowsTotal: 602, canDownload: true });
      expect(mine.find((j) => j.id === memberJob.id)).toMatchObject({ status: "DONE", rowsDone: 3 });

      const auditText = await downloaded(storage, { staffId: owner.id, role: "owner" }, auditJob.id);
      expect(auditText.charCodeAt(0)).toBe(0xfeff);
      const auditLines = auditText.slice(1).trim().split("\n");
      expect(auditLines).toHaveLength(603);
      // Newest first, across the 500-row batches: the last entry (i = 1202) on top, the first (i = 0) at the bottom;
      // the actor's kind and the action by their names in the log page's words (员工, 冻结会员), not their codes.
      expect(auditLines[1]).toContain(",员工,店主 (boss),冻结会员,会员 #1202,");
      expect(auditLines[602]).toContain(",员工,店主 (boss),冻结会员,会员 #0,");
      // A target that is a member still in the shop reads by their nickname too (会员 会员1 #2), as on the log page.
      expect(new Set(auditLines.slice(1).map((l) => /会员 (?:\S+ )?#(\d+)/.exec(l)![1])).size).toBe(602);
      expect(auditLines.find((l) => l.includes("#2,"))).toContain(",会员 会员1 #2,");

      const memberText = await downloaded(storage, { staffId: owner.id, role: "owner" }, memberJob.id);
      expect(memberText.slice(1).trim().split("\n").map((l) => l.split(",")[1])).toEqual(["昵称", "会员0", "会员1", "会员2"]);
      // The audit log is the owner's: the same account demoted to operator may not download it.
      await expect(openExportFile(database.prisma, storage, { staffId: owner.id, role: "operator" }, auditJob.id)).rejects.toThrow("无权下载");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a background export that runs longer than the stale window", () => {
  it("beats while it streams: another worker does not take it back, and it finishes on its first attempt", async () => {
    const owner = await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } });
    for (let i = 0; i < 3; i++) await run((ctx) => registerMember(ctx, { username: `m${i}`, nickname: `会员${i}`, ip: `9.9.9.${i}`, device: `d${i}` }));
    const job = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "members", filter: {}, rowsTotal: 3, fileName: "会员列表.csv" }));
    const dir = mkdtempSync(path.join(tmpdir(), "fm-exports-"));
    const storage = new LocalDiskStorage(dir);
    const def = exportDefinition("members")!;
    const rows = def.rows;
    // Each row takes two thirds of the stale window (a large export's batches on a loaded database): three rows
    // take twice the window, and then another worker looks for work, once.
    const rowMs = (2 * STALE_MS) / 3;
    const second = { took: null as number | null };
    vi.useFakeTimers({ toFake: ["Date"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    const slow = vi.spyOn(def, "rows").mockImplementation(async function* (db, filter, tz) {
      for await (const row of rows(db, filter, tz)) {
        vi.setSystemTime(Date.now() + rowMs);
        yield row;
      }
      if (second.took === null) {
        second.took = -1;
        second.took = await runQueuedExports(database.prisma, storage, new Date());
      }
    });
    try {
      expect(await runQueuedExports(database.prisma, storage, new Date())).toBe(1);
    } finally {
      slow.mockRestore();
      vi.useRealTimers();
    }
    try {
      expect(second.took).toBe(0);
      const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(done).toMatchObject({ status: "DONE", attempts: 1, rowsDone: 3 });
      // Its last heartbeat came with the third row, twice the stale window after the claim.
      expect(done.startedAt).toEqual(new Date(claimedAt.getTime() + 2 * STALE_MS));
      const text = await downloaded(storage, { staffId: owner.id, role: "owner" }, job.id);
      expect(text.slice(1).trim().split("\n")).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The bytes of a streamed body, whole (the files of these tests are small). */
async function bytesOf(body: ByteSource): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  // Node's web streams are async iterables too (TypeScript's lib does not say so).
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Storage in memory: the key of every upload begun, in order, and the files of those that completed (an upload
 * whose stream fails stores nothing); `putStream` may be replaced to make an upload slow.
 */
function memoryStorage() {
  const files = new Map<string, Buffer>();
  const storage: ObjectStorage & { puts: string[]; files: Map<string, Buffer> } = {
    puts: [],
    files,
    async put(key, body) {
      files.set(key, body);
    },
    async get(key) {
      const body = files.get(key);
      return body ? { body, contentType: "text/csv" } : null;
    },
    async putStream(key, body) {
      storage.puts.push(key);
      files.set(key, await bytesOf(body));
    },
    async getStream(key) {
      const body = files.get(key);
      return body ? { body: new Response(new Uint8Array(body)).body!, contentType: "text/csv", size: body.length } : null;
    },
    async delete(key) {
      files.delete(key);
    },
  };
  return storage;
}

/** A queued export of the three members' list, by the owner. */
async function queuedMemberExport() {
  const owner = await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } });
  for (let i = 0; i < 3; i++) await run((ctx) => registerMember(ctx, { username: `m${i}`, nickname: `会员${i}`, ip: `9.9.9.${i}`, device: `d${i}` }));
  const job = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "members", filter: {}, rowsTotal: 3, fileName: "会员列表.csv" }));
  return { owner, job };
}

const MINUTE = 60_000;

describe("a worker that stalled past the stale window and lost its job to another", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("stalled while streaming: once it resumes it writes nothing, its upload stores nothing and it stops; the job is finished once, by the other", async () => {
    const { owner, job } = await queuedMemberExport();
    const storage = memoryStorage();
    const def = exportDefinition("members")!;
    const rows = def.rows;
    const b = { took: null as number | null, rowsDone: null as number | null };
    vi.useFakeTimers({ toFake: ["Date"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    vi.spyOn(def, "rows").mockImplementation(async function* (db, filter, tz) {
      for await (const row of rows(db, filter, tz)) {
        yield row;
        if (b.took === null) {
          // A, after its first row: suspended for longer than the window; B then finds the job stale, takes it and finishes it.
          b.took = -1;
          vi.setSystemTime(Date.now() + STALE_MS + MINUTE);
          b.took = await runQueuedExports(database.prisma, storage, new Date());
        }
      }
    });
    // A took one job and, finding it lost at its next heartbeat, stops without failing it.
    expect(await runQueuedExports(database.prisma, storage, claimedAt)).toBe(1);
    expect(b.took).toBe(1);
    // Two uploads begun, one stored, B's: A's next heartbeat (its second row, the window past) found the job lost
    // and failed A's upload before its file was complete.
    const [aFile, bFile] = storage.puts;
    expect(storage.puts).toHaveLength(2);
    expect([...storage.files.keys()]).toEqual([bFile]);
    expect(aFile).not.toBe(bFile);
    const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "DONE", attempts: 2, rowsDone: 3, rowsTotal: 3, fileKey: bFile, error: null });
    expect(done.finishedAt).toEqual(new Date(claimedAt.getTime() + STALE_MS + MINUTE));
    const text = await downloaded(storage, { staffId: owner.id, role: "owner" }, job.id);
    expect(text.slice(1).trim().split("\n")).toHaveLength(4);
  });

  it("stalled while uploading: its next beat finds the job lost and it stops at once, its file never referenced", async () => {
    const { job } = await queuedMemberExport();
    const storage = memoryStorage();
    const record = storage.putStream;
    let endUpload!: () => void;
    const upload = new Promise<void>((resolve) => (endUpload = resolve));
    let bDone!: (took: number) => void;
    const b = new Promise<number>((resolve) => (bDone = resolve));
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    storage.putStream = async (key, body, type) => {
      await record(key, body, type);
      if (storage.puts.length > 1) return;
      // A's upload: A is suspended past the window (no timer fires meanwhile), B takes the job and finishes it; A's upload hangs on.
      vi.setSystemTime(Date.now() + STALE_MS + MINUTE);
      bDone(await runQueuedExports(database.prisma, storage, new Date()));
      await upload;
    };
    const a = runQueuedExports(database.prisma, storage, claimedAt);
    expect(await b).toBe(1);
    const bFile = storage.puts[1];
    // A wakes: its timer beats a minute on, finds the job lost, and A returns while its upload still hangs.
    await vi.advanceTimersByTimeAsync(MINUTE);
    const stillUploading = new Promise((resolve) => setTimeout(() => resolve("still uploading"), 2_000));
    expect(await Promise.race([a, stillUploading])).toBe(1);
    endUpload();
    const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "DONE", attempts: 2, rowsDone: 3, fileKey: bFile, error: null });
    expect(bFile).not.toBe(storage.puts[0]);
    // A's upload, once it ends, is deleted: no file is left that no job references.
    await vi.waitFor(() => expect([...storage.files.keys()]).toEqual([bFile]));
  });

  it("lost between its upload and its last write: its uploaded file is deleted, the other's stands", async () => {
    const { job } = await queuedMemberExport();
    const storage = memoryStorage();
    const record = storage.putStream;
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    const b = { took: null as number | null };
    storage.putStream = async (key, body, type) => {
      await record(key, body, type);
      if (storage.puts.length > 1) return;
      // A's upload completes, but A was suspended past the window meanwhile (no beat fired) and B finished the job.
      vi.setSystemTime(Date.now() + STALE_MS + MINUTE);
      b.took = await runQueuedExports(database.prisma, storage, new Date());
    };
    expect(await runQueuedExports(database.prisma, storage, claimedAt)).toBe(1);
    expect(b.took).toBe(1);
    const [aFile, bFile] = storage.puts;
    expect(await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "DONE", attempts: 2, fileKey: bFile });
    expect(aFile).not.toBe(bFile);
    expect([...storage.files.keys()]).toEqual([bFile]);
  });
});

describe("exported files are kept a week", () => {
  it("a file is deleted once its job finished more than 7 days ago; the job says expired and refuses the download", async () => {
    expect(EXPORT_RETENTION_DAYS).toBe(7);
    const { owner, job } = await queuedMemberExport();
    const storage = memoryStorage();
    expect(await runQueuedExports(database.prisma, storage, new Date("2026-06-01T02:00:00Z"))).toBe(1);
    const { fileKey, finishedAt } = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(storage.files.has(fileKey!)).toBe(true);
    // Exactly seven days on it is still kept; a millisecond later it goes, once.
    const week = new Date(finishedAt!.getTime() + 7 * 24 * 60 * MINUTE);
    expect(await expireExports(database.prisma, storage, week)).toBe(0);
    expect(storage.files.has(fileKey!)).toBe(true);
    expect(await expireExports(database.prisma, storage, new Date(week.getTime() + 1))).toBe(1);
    expect(await expireExports(database.prisma, storage, new Date(week.getTime() + 2))).toBe(0);
    expect(storage.files.size).toBe(0);
    expect(await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "EXPIRED" });
    const staff = { staffId: owner.id, role: "owner" as const };
    expect((await myExports(database.prisma, staff))[0]).toMatchObject({ status: "EXPIRED", canDownload: false });
    await expect(openExportFile(database.prisma, storage, staff, job.id)).rejects.toMatchObject({ code: "NOT_READY" });
  });
});

describe("an export whose upload takes longer than the stale window", () => {
  afterEach(() => vi.useRealTimers());

  it("beats every minute while it uploads: another worker does not take it back, and it finishes on its first attempt", async () => {
    const { job } = await queuedMemberExport();
    const storage = memoryStorage();
    const record = storage.putStream;
    const second = { took: null as number | null };
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    const claimedAt = new Date("2026-06-01T02:00:00Z");
    vi.setSystemTime(claimedAt);
    const uploadEnd = new Date(claimedAt.getTime() + 2 * STALE_MS);
    const heartbeat = async () => (await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).startedAt!.getTime();
    storage.putStream = async (key, body, type) => {
      // The upload takes twice the window (the rows took no time: it starts at the claim).
      await vi.advanceTimersByTimeAsync(2 * STALE_MS);
      // Its beats land one after another: the last, at the upload's end, a few real milliseconds later.
      for (let i = 0; i < 200 && (await heartbeat()) !== uploadEnd.getTime(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      second.took = await runQueuedExports(database.prisma, storage, new Date());
      await record(key, body, type);
    };
    expect(await runQueuedExports(database.prisma, storage, claimedAt)).toBe(1);
    expect(second.took).toBe(0);
    const done = await database.prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "DONE", attempts: 1, rowsDone: 3, fileKey: storage.puts[0] });
    expect(done.startedAt).toEqual(uploadEnd);
    expect(done.finishedAt).toEqual(uploadEnd);
  });
});
