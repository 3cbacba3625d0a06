// Identity verification before withdrawals (SPEC §6): real name and mainland ID number
// (GB 11643 checksum), stored encrypted, shown masked.
import type { Ctx } from "../context";
import { refuse, audit, isUniqueViolation } from "../context";
import { encryptField, lookupHash } from "../auth/crypto";
import { lockLiveMember } from "../members/live";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** True for a well-formed 18-character resident ID number with a valid birth date and checksum. */
export function isValidIdNumber(raw: string): boolean {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) return false;
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return CHECK[sum % 11] === id[17];
}

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}${"*".repeat(11)}${id.slice(-4)}`;
}

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/**
 * The lookup hash of a normalised ID number (trimmed, upper-case X), Member.idNumberHash: unique among members, so
 * one ID number verifies one account (一个身份证只能认证一个账号). Its own label: never equal to a phone's hash.
 */
export function idNumberHash(normalisedId: string): string {
  return lookupHash(`id-number:${normalisedId}`);
}

export const ID_NUMBER_TAKEN_MESSAGE = "该身份证号已用于其他账号的实名认证，如需更换账号请联系客服";

const NAME_RE = /^[\u4e00-\u9fa5·]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,39}$/;

export async function verifyIdentity(ctx: Ctx, memberId: number, input: { realName: string; idNumber: string }) {
  const realName = input.realName.trim();
  const idNumber = input.idNumber.trim().toUpperCase();
  if (!NAME_RE.test(realName)) refuse("INVALID_NAME", "请输入真实姓名（2-20 个汉字）");
  if (!isValidIdNumber(idNumber)) refuse("INVALID_ID_NUMBER", "身份证号码无效，请检查后重新输入");
  // Under the member's row lock: a second submission at once waits and is then refused, and a deletion is seen.
  await lockLiveMember(ctx, memberId);
  const member = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { verifiedAt: true } });
  if (!member) refuse("NO_SUCH_MEMBER", "member not found");
  if (member.verifiedAt) refuse("ALREADY_VERIFIED", "已完成实名认证");
  // One account per ID number: another member verified with it (a deleted account's hash is cleared, server/members/deletion.ts).
  const hash = idNumberHash(idNumber);
  const holder = await ctx.tx.member.findUnique({ where: { idNumberHash: hash }, select: { id: true } });
  if (holder && holder.id !== memberId) refuse("ID_NUMBER_TAKEN", ID_NUMBER_TAKEN_MESSAGE);
  try {
    await ctx.tx.member.update({
      where: { id: memberId },
      data: {
        realNameEnc: encryptField(realName),
        realNameMasked: maskName(realName),
        idNumberEnc: encryptField(idNumber),
        idNumberMasked: maskIdNumber(idNumber),
        idNumberHash: hash,
        verifiedAt: ctx.now,
      },
    });
  } catch (e) {
    // Another member verified the same number in the same instant: the unique index let only theirs in.
    if (isUniqueViolation(e)) refuse("ID_NUMBER_TAKEN", ID_NUMBER_TAKEN_MESSAGE);
    throw e;
  }
  await audit(ctx, memberId, "identity.verified", `member:${memberId}`);
  return { realNameMasked: maskName(realName), idNumberMasked: maskIdNumber(idNumber) };
}
