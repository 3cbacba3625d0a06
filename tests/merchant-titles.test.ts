// Back-office browser-tab titles: every app/merchant page names itself with a message key through
// generateMetadata (so English tabs read English), a page the sidebar offers uses the sidebar's own key,
// and the Chinese titles are the ones the pages always had.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { NAV } from "@/app/merchant/_components/nav";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";

const ROOT = join(process.cwd(), "app/merchant");

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name === "page.tsx" ? [path] : [];
  });
}

/** The route of a page file: app/merchant/orders/[id]/page.tsx → /merchant/orders/[id]. */
const route = (file: string) => `/merchant${relative(ROOT, file).replace(/\/?page\.tsx$/, "").replace(/^(?=.)/, "/")}`;

/** The Chinese titles the pages had as fixed metadata. */
const ZH_TITLES: Record<string, string> = {
  "/merchant": "工作台",
  "/merchant/account": "账号安全",
  "/merchant/adjustments": "手工调账",
  "/merchant/audit": "操作日志",
  "/merchant/after-sales": "售后处理",
  "/merchant/categories": "商品分类",
  "/merchant/experiments": "A/B 实验",
  "/merchant/exports": "导出记录",
  "/merchant/kpi": "数据看板",
  "/merchant/login": "商家后台登录",
  "/merchant/members": "会员与分销",
  "/merchant/members/[id]": "会员详情",
  "/merchant/orders": "订单管理",
  "/merchant/orders/[id]": "订单管理",
  "/merchant/products": "商品管理",
  "/merchant/products/[id]": "编辑商品",
  "/merchant/products/new": "新建商品",
  "/merchant/reconciliation": "对账",
  "/merchant/risk": "风控审核",
  "/merchant/rules": "规则配置",
  "/merchant/risk/[memberId]": "风控审核",
  "/merchant/simulator": "收益模拟器",
  "/merchant/staff": "员工与权限",
  "/merchant/legal": "协议与隐私",
  "/merchant/shop": "店铺资料",
  "/merchant/stock": "库存",
  "/merchant/withdrawals": "提现审核",
};

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

describe("back-office page titles", () => {
  const files = pages(ROOT);
  const titled = files.map((file) => {
    const source = readFileSync(file, "utf8");
    const key = /export async function generateMetadata\(\)[^{]*\{\s*return \{ title: \(await getT\(\)\)\("([\w.-]+)"\) \};/.exec(source)?.[1];
    return { route: route(file), key, fixed: /export const metadata\b/.test(source) };
  });

  it("every page takes its title from a message key in the request's language", () => {
    expect(files.length).toBeGreaterThan(20);
    const missing = titled.filter((p) => !p.key).map((p) => p.route);
    expect(missing).toEqual([]);
    for (const p of titled) expect(p.fixed, p.route).toBe(false);
  });

  it("English titles have no Chinese; Chinese titles are unchanged", () => {
    for (const p of titled) {
      if (!p.key) continue;
      expect(Object.hasOwn(en, p.key), `${p.route}: ${p.key}`).toBe(true);
      const english = en[p.key as keyof typeof en];
      expect(english, p.route).not.toMatch(CJK);
      expect(english.trim(), p.route).not.toBe("");
      expect(zhCN[p.key as keyof typeof zhCN], p.route).toBe(ZH_TITLES[p.route]);
    }
  });

  it("a page the sidebar offers is titled with the sidebar's label", () => {
    const byRoute = new Map(titled.map((p) => [p.route, p.key]));
    for (const item of NAV.flatMap((g) => g.items)) {
      expect(byRoute.get(item.href), item.href).toBe(item.label);
    }
  });
});
