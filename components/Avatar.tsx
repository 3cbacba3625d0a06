// A member's avatar (server/members/profile.ts avatarOf): their picture, else a glyph on a colour.
import type { Avatar as AvatarData } from "@/server/members/profile";

export function Avatar({ avatar, size = 40, className = "" }: { avatar: AvatarData; size?: number; className?: string }) {
  const style = { width: size, height: size, fontSize: Math.round(size * 0.5) };
  if (avatar.url)
    // eslint-disable-next-line @next/next/no-img-element -- an already square 400 px thumbnail or WeChat's avatar CDN: next/image adds nothing
    return <img src={avatar.url} alt="" width={size} height={size} className={`shrink-0 rounded-full object-cover ${className}`} style={style} data-testid="avatar-picture" />;
  return (
    <span aria-hidden className={`inline-flex shrink-0 items-center justify-center rounded-full font-bold text-white ${className}`} style={{ ...style, background: avatar.colour }} data-testid="avatar">
      {avatar.glyph}
    </span>
  );
}
