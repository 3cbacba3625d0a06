// The staff accounts' CSV (owner, like the page): role, second factor, status, last sign-in. Never a
// password hash or a TOTP secret (listStaff selects only the public fields).
import { z } from "zod";
import type { Db } from "../db";
import { listStaff } from "../staff/accounts";
import type { StaffRole } from "../staff/roles";
import type { CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof listStaff>>[number];
const ROLE_LABEL: Record<StaffRole, string> = { owner: "店主", operator: "运营", finance: "财务", risk: "风控", support: "客服" };
const noFilter = z.object({});

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "员工 ID", value: (r) => r.id },
    { header: "用户名", value: (r) => r.username },
    { header: "姓名", value: (r) => r.displayName },
    { header: "角色", value: (r) => ROLE_LABEL[r.role as StaffRole] ?? r.role },
    { header: "两步验证", value: (r) => (r.totpEnabledAt ? "已开启" : "未开启") },
    { header: "状态", value: (r) => (r.disabledAt ? "已停用" : "正常") },
    { header: "待改初始密码", value: (r) => (r.mustChangePassword ? "是" : "") },
    { header: "创建时间", value: (r) => time.format(r.createdAt) },
    { header: "最近登录", value: (r) => (r.lastSignInAt ? time.format(r.lastSignInAt) : "") },
  ];
}

export const staffExport = {
  kind: "staff",
  area: "staff",
  title: "员工列表",
  fromSearch: (): Record<string, never> => ({}),
  parse: (p: unknown) => noFilter.parse(p),
  count: (db: Db) => db.staffAccount.count(),
  async *rows(db: Db) {
    yield* await listStaff(db);
  },
  columns,
} as const;
