// A member's public face: display name, avatar, and the one masking rule every page, poster, share
// card and team list uses when showing a member to someone else. Pure (no database): e2e tests and
// client code may import it; the writes are in ./profile-actions.ts.

/** The name a deleted account (注销账号, ./deletion.ts) has everywhere; no member may choose it. */
export const DELETED_MEMBER_NAME = "已注销用户";

/** The one masking rule: ≤ 2 characters → first + "*"; else first + min(n−2, 2) stars + last. A deleted account shows unmasked. */
export function maskDisplayName(name: string, fallback = "好友"): string {
  if (name.trim() === DELETED_MEMBER_NAME) return DELETED_MEMBER_NAME;
  const chars = Array.from(name.trim());
  if (chars.length === 0) return fallback;
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(Math.min(chars.length - 2, 2))}${chars[chars.length - 1]}`;
}

// 32 × 32 friendly names; MIGRATION_NAME_SQL below repeats the lists, in this order, for existing members.
export const NAME_ADJECTIVES = [
  "快乐", "开心", "阳光", "温柔", "勇敢", "聪明", "可爱", "淡定", "活力", "机灵", "悠闲", "热情", "安静", "乐观", "自在", "灵动",
  "甜甜", "暖暖", "酷酷", "萌萌", "闪亮", "元气", "清新", "率真", "爽朗", "俏皮", "稳重", "好奇", "认真", "幸运", "欢喜", "逍遥",
] as const;
export const NAME_NOUNS = [
  "熊猫", "海豚", "小鹿", "松鼠", "白鸽", "锦鲤", "白鹭", "企鹅", "柴犬", "橘猫", "海鸥", "兔子", "海獭", "云雀", "黄鹂", "喜鹊", "骏马", "山羊", "小象", "狐狸", "刺猬", "蜜蜂", "蝴蝶", "鲸鱼", "丹鹤", "飞燕", "羊驼", "猎豹", "海龟", "葵花", "青松", "竹子",
] as const;
/** The avatar glyph of each noun (its own character, so an avatar reads as the animal or plant). */
const NOUN_GLYPHS = [
  "熊", "豚", "鹿", "鼠", "鸽", "鲤", "鹭", "鹅", "犬", "猫", "鸥", "兔", "獭", "雀", "鹂", "鹊", "马", "羊", "象", "狐", "猬", "蜂", "蝶", "鲸", "鹤", "燕", "驼", "豹", "龟", "葵", "松", "竹",
] as const;
const NAME_SPACE = NAME_ADJECTIVES.length * NAME_NOUNS.length;

/** Position of a member in the name space: an odd multiplier mod 1024, so consecutive ids get different names. */
function nameIndex(memberId: number): number {
  return (memberId * 7919 + 13) % NAME_SPACE;
}

/** The default display name of a member at sign-up, e.g. "快乐熊猫": deterministic from the id, never a phone digit. */
export function defaultDisplayName(memberId: number): string {
  const k = nameIndex(memberId);
  return `${NAME_ADJECTIVES[k % NAME_ADJECTIVES.length]}${NAME_NOUNS[Math.floor(k / NAME_ADJECTIVES.length)]}`;
}

/** The placeholder name sign-up gave before display names existed ("会员" + the phone's last four digits). */
export const PLACEHOLDER_NAME = /^会员\d{4}$/;

/** The same generator in SQL, for the migration that renames placeholder members (tested against defaultDisplayName). */
export const MIGRATION_NAME_SQL = `(ARRAY[${NAME_ADJECTIVES.map((a) => `'${a}'`).join(",")}])[((id::bigint * 7919 + 13) % ${NAME_SPACE}) % ${NAME_ADJECTIVES.length} + 1] || (ARRAY[${NAME_NOUNS.map((n) => `'${n}'`).join(",")}])[((id::bigint * 7919 + 13) % ${NAME_SPACE}) / ${NAME_ADJECTIVES.length} + 1]`;

/** One of our stored pictures (server/storage/images: content-addressed WebP under /media/p/). */
export function isOwnPicture(url: string): boolean {
  return /^\/media\/p\/[0-9a-f]{2}\/[0-9a-f]{32}(_\d+)?\.webp$/.test(url);
}

// Dark enough for the white glyph (≥ 4.5:1, tests/contrast.test.ts), on the page, the poster and the share image alike.
export const AVATAR_COLOURS = ["#e11d48", "#c2410c", "#b45309", "#047857", "#0f766e", "#0369a1", "#4f46e5", "#9333ea"] as const;

export interface Avatar {
  /** One character drawn on the colour (the animal or plant of the member's default name). */
  glyph: string;
  /** Background colour, hex. */
  colour: string;
  /** A picture the member chose (uploaded in 我的, or their WeChat avatar); shown instead of the glyph when present. */
  url: string | null;
}

/** The member's avatar: their picture if they gave one, else a coloured glyph fixed by the id (it never reveals a chosen name). */
export function avatarOf(m: { id: number; avatarUrl?: string | null }): Avatar {
  const glyph = NOUN_GLYPHS[Math.floor(nameIndex(m.id) / NAME_ADJECTIVES.length)]!;
  return { glyph, colour: AVATAR_COLOURS[m.id % AVATAR_COLOURS.length]!, url: m.avatarUrl && (/^https:\/\//.test(m.avatarUrl) || isOwnPicture(m.avatarUrl)) ? m.avatarUrl : null };
}

/** The name a member shows: their display name, else their default one. */
export function displayNameOf(m: { id: number; nickname: string | null }): string {
  return m.nickname?.trim() || defaultDisplayName(m.id);
}

/** How another member (inviter, team member, buyer) appears to others: masked display name. */
export function publicNameOf(m: { id: number; nickname: string | null }): string {
  return maskDisplayName(displayNameOf(m));
}

export const DISPLAY_NAME_MAX = 12;

/** A display name a member may choose: 1–12 characters, letters/digits/CJK/space/·_-, not the placeholder form. */
export function checkDisplayName(raw: string): { ok: true; name: string } | { ok: false; message: string } {
  const name = raw.trim().replace(/\s+/g, " ");
  const n = Array.from(name).length;
  if (n === 0) return { ok: false, message: "请填写昵称" };
  if (n > DISPLAY_NAME_MAX) return { ok: false, message: `昵称最多 ${DISPLAY_NAME_MAX} 个字` };
  if (!/^[\p{L}\p{N} ·_-]+$/u.test(name)) return { ok: false, message: "昵称只能包含文字、字母、数字、空格和 · _ -" };
  if (PLACEHOLDER_NAME.test(name) || name === DELETED_MEMBER_NAME) return { ok: false, message: "请换一个昵称" };
  return { ok: true, name };
}
