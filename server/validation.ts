// Zod building blocks for every API input (issue 8): what the database would refuse is refused here
// first, with a 400 and a clear message, instead of surfacing as a Prisma error (500). Postgres int4
// columns hold ±2 147 483 647 and text columns cannot hold NUL; unbounded strings are refused too.
// Kernel module: imports no domain, so the domain's form schemas use it as well as the routers.
import { z } from "@/lib/zod-client";

export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

/** A whole number that fits a Postgres integer column; `tooBig` words its upper bound for the field (e.g. in 元). */
export function int4(tooBig = `数值不能大于 ${INT4_MAX}`) {
  return z
    .number({ error: "必须是数字" })
    .int("必须是整数")
    .min(INT4_MIN, `数值不能小于 ${INT4_MIN}`)
    .max(INT4_MAX, tooBig);
}

/** A row id: a positive int4. */
export function id() {
  return z.number({ error: "编号必须是数字" }).int("编号必须是整数").positive("编号无效").max(INT4_MAX, "编号无效（超出范围）");
}

/** A row id from an address (a path segment), or null when it is none: beyond int4 the database would fail, not find nothing. */
export function rowIdParam(raw: string): number | null {
  const id = Number(raw);
  return Number.isInteger(id) && id >= 1 && id <= INT4_MAX ? id : null;
}

export const NUL_MESSAGE = "不能包含空字符 (NUL)";
const hasNoNul = (s: string) => !s.includes("\u0000");

/** A string of at most `max` characters without NUL bytes. Chain .trim() / .min() / .regex() as usual. */
export function text(max: number, tooLong = `最多 ${max} 个字符`) {
  // The rule's name lets other languages word the refusal (lib/i18n/labels.ts error.issue.noNul).
  return z.string({ error: "必须是文字" }).max(max, tooLong).refine(hasNoNul, { message: NUL_MESSAGE, params: { rule: "noNul" } });
}
