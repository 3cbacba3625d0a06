/** "张三丰" → "张*丰", "小明" → "小*", "会员5678" → "会**8"; never shows a whole name. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "好友";
  if (chars.length === 1) return `${chars[0]}*`;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(Math.min(chars.length - 2, 2))}${chars[chars.length - 1]}`;
}
