// Display names and avatars (server/members/profile.ts): the one masking rule, the friendly default
// name given at sign-up (and by the migration to members still named 会员NNNN), editing in 我的, and
// the refused binding being kept on the member.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { maskMemberName } from "../server/promotion";
import { avatarOf, checkDisplayName, defaultDisplayName, displayNameOf, maskDisplayName, NAME_ADJECTIVES, NAME_NOUNS, PLACEHOLDER_NAME, publicNameOf } from "../server/members/profile";
import { freshPglite } from "./helpers/db";
import { callerFor, refusal } from "./helpers/caller";

describe("maskDisplayName: one rule everywhere", () => {
  it.each([
    ["王", "王*"],
    ["小明", "小*"],
    ["张三丰", "张*丰"],
    ["快乐熊猫", "快**猫"],
    ["王店长家的茶", "王**茶"],
    ["Alice", "A**e"],
    ["  李四  ", "李*"],
  ])("%s → %s", (name, masked) => expect(maskDisplayName(name)).toBe(masked));

  it("never shows a whole name of two or more characters, and an empty name is 好友", () => {
    for (const name of ["ab", "abc", "会员1234", "熊猫🐼", "a b c d e f"]) {
      const m = maskDisplayName(name);
      expect(m).not.toBe(name);
      expect(m).toContain("*");
      expect(Array.from(m).filter((c) => c === "*").length).toBe(Math.max(1, Math.min(Array.from(name.trim()).length - 2, 2)));
    }
    expect(maskDisplayName("   ")).toBe("好友");
  });

  it("the promotion centre's team and buyer lists use the same rule", () => {
    expect(maskMemberName({ nickname: "张三丰", username: "u1" })).toBe("张*丰");
    expect(maskMemberName({ nickname: null, username: "bob" })).toBe("b*b");
  });
});

describe("defaultDisplayName", () => {
  it("is an adjective and a noun from the lists, deterministic from the member, never 会员NNNN", () => {
    for (const id of [1, 2, 3, 999, 123_456, 2_147_483_647]) {
      const name = defaultDisplayName(id);
      expect(defaultDisplayName(id)).toBe(name);
      expect(NAME_ADJECTIVES.some((a) => name.startsWith(a))).toBe(true);
      expect(NAME_NOUNS.some((n) => name.endsWith(n))).toBe(true);
      expect(PLACEHOLDER_NAME.test(name)).toBe(false);
      expect(checkDisplayName(name)).toEqual({ ok: true, name });
    }
  });

  it("gives 1 024 consecutive members 1 024 different names", () => {
    const names = new Set(Array.from({ length: 1024 }, (_, i) => defaultDisplayName(i + 1)));
    expect(names.size).toBe(1024);
  });

  it("a member without a display name shows the default one; the avatar is a glyph on a colour unless they gave a picture", () => {
    expect(displayNameOf({ id: 7, nickname: null })).toBe(defaultDisplayName(7));
    expect(publicNameOf({ id: 7, nickname: "张三丰" })).toBe("张*丰");
    const a = avatarOf({ id: 7 });
    expect(Array.from(a.glyph)).toHaveLength(1);
    expect(defaultDisplayName(7)).toContain(a.glyph);
    expect(a.colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(a.url).toBeNull();
    expect(avatarOf({ id: 7, avatarUrl: "https://thirdwx.qlogo.cn/x/132" }).url).toBe("https://thirdwx.qlogo.cn/x/132");
    expect(avatarOf({ id: 7, avatarUrl: "javascript:alert(1)" }).url).toBeNull();
    // An uploaded picture is one of our content-addressed /media files, nothing else under our origin.
    const own = `/media/p/ab/${"ab".repeat(16)}_400.webp`;
    expect(avatarOf({ id: 7, avatarUrl: own }).url).toBe(own);
    expect(avatarOf({ id: 7, avatarUrl: "/media/exports/x.csv" }).url).toBeNull();
    expect(avatarOf({ id: 7, avatarUrl: "/api/trpc/member.me" }).url).toBeNull();
  });
});

describe("checkDisplayName", () => {
  it("accepts 1–12 letters, digits, CJK, spaces and · _ -; refuses the rest", () => {
    expect(checkDisplayName("  小  明  ")).toEqual({ ok: true, name: "小 明" });
    expect(checkDisplayName("Tom_Lee-2·x")).toMatchObject({ ok: true });
    expect(checkDisplayName("")).toMatchObject({ ok: false, message: "请填写昵称" });
    expect(checkDisplayName("一二三四五六七八九十十一十二")).toMatchObject({ ok: false });
    expect(checkDisplayName("<script>")).toMatchObject({ ok: false });
    expect(checkDisplayName("会员1234")).toMatchObject({ ok: false });
  });
});

describe("with a database", () => {
  const config = parseConfig({});
  let database: Database;
  beforeAll(async () => {
    database = await freshPglite();
  }, 180_000);
  afterAll(() => database?.close());
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config, now: new Date() }, fn);

  it("sign-up names the member from their id; the member changes it in 我的, only their own", async () => {
    const m = await run((ctx) => registerMember(ctx, { username: "p1", nickname: defaultDisplayName }));
    expect(m.nickname).toBe(defaultDisplayName(m.id));
    const other = await run((ctx) => registerMember(ctx, { username: "p2", nickname: "别人" }));

    const api = callerFor(database.prisma, m.id);
    expect((await api.member.me()).displayName).toBe(defaultDisplayName(m.id));
    await api.member.updateProfile({ displayName: " 张三丰 " });
    const me = await api.member.me();
    expect(me.displayName).toBe("张三丰");
    expect(me.avatar).toEqual(avatarOf({ id: m.id }));
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: other.id } })).nickname).toBe("别人");
    expect(await refusal(api.member.updateProfile({ displayName: "<b>" }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("昵称只能包含") });
  });

  it("a member sets their avatar from their own upload (its square thumbnail) and back to the glyph; another's upload is refused", async () => {
    const m = await run((ctx) => registerMember(ctx, { username: "av1", nickname: defaultDisplayName }));
    const other = await run((ctx) => registerMember(ctx, { username: "av2", nickname: defaultDisplayName }));
    const hash = "cd".repeat(16);
    const url = `/media/p/cd/${hash}.webp`;
    const thumbUrl = `/media/p/cd/${hash}_400.webp`;
    await database.prisma.shopperUpload.create({ data: { memberId: other.id, url, thumbUrl, bytes: 100, createdAt: new Date() } });

    const api = callerFor(database.prisma, m.id);
    expect(await refusal(api.member.updateAvatar({ url }))).toMatchObject({ code: "BAD_REQUEST", message: "图片无效，请重新上传" });
    expect((await api.member.me()).avatar.url).toBeNull();

    await database.prisma.shopperUpload.create({ data: { memberId: m.id, url, thumbUrl, bytes: 100, createdAt: new Date() } });
    await api.member.updateAvatar({ url });
    expect((await api.member.me()).avatar).toEqual({ ...avatarOf({ id: m.id }), url: thumbUrl });
    // Others see it too: the inviter's avatar on a downline's 我的.
    const downline = await run((ctx) => registerMember(ctx, { username: "av3", nickname: defaultDisplayName, sponsorCode: m.referralCode }));
    expect((await callerFor(database.prisma, downline.id).member.me()).sponsor?.avatar.url).toBe(thumbUrl);

    await api.member.updateAvatar({ url: null });
    expect((await api.member.me()).avatar).toEqual(avatarOf({ id: m.id }));
  });

  it("我的 shows the inviter masked with their avatar; a binding refused for a shared device is kept and explained", async () => {
    const inviter = await run((ctx) => registerMember(ctx, { username: "inv", nickname: "王店长家的茶", device: "a".repeat(32) }));
    const bound = await run((ctx) => registerMember(ctx, { username: "b1", nickname: defaultDisplayName, sponsorCode: inviter.referralCode, device: "b".repeat(32) }));
    const sameDevice = await run((ctx) => registerMember(ctx, { username: "b2", nickname: defaultDisplayName, sponsorCode: inviter.referralCode, device: "a".repeat(32) }));

    const boundMe = await callerFor(database.prisma, bound.id).member.me();
    expect(boundMe.sponsor).toEqual({ name: "王**茶", avatar: avatarOf(inviter) });
    expect(boundMe.bindingRefusal).toBeNull();

    const refusedMe = await callerFor(database.prisma, sameDevice.id).member.me();
    expect(refusedMe.sponsor).toBeNull();
    expect(refusedMe.bindingRefusal).toBe("shared_device");
  });

  it("我的 counts 直推 as 推广 → 我的团队 does: every direct invitee, not only the qualified ones", async () => {
    const inviter = await run((ctx) => registerMember(ctx, { username: "dir0", nickname: defaultDisplayName }));
    for (const name of ["dir1", "dir2"]) await run((ctx) => registerMember(ctx, { username: name, nickname: defaultDisplayName, sponsorCode: inviter.referralCode }));
    const api = callerFor(database.prisma, inviter.id);
    const [me, team] = await Promise.all([api.member.me(), api.promotion.team()]);
    expect(me.qualifiedDirects).toBe(0); // no first order yet: none is 有效直推
    expect(me.directs).toBe(2);
    expect(me.directs).toBe(team.byDepth.find((d) => d.depth === 1)?.count);
  });

  it("the migration renames members still called 会员NNNN to exactly defaultDisplayName, and no one else", async () => {
    const dir = path.join(process.cwd(), "prisma", "migrations");
    const folder = readdirSync(dir).find((f) => f.endsWith("_member_binding_refusal_display_names"))!;
    const sql = readFileSync(path.join(dir, folder, "migration.sql"), "utf8");
    const update = sql.slice(sql.indexOf('UPDATE "Member"'));
    const placeholders = [];
    for (let i = 0; i < 40; i++) placeholders.push(await run((ctx) => registerMember(ctx, { username: `old${i}`, nickname: `会员${String(1000 + i)}` })));
    const kept = await run((ctx) => registerMember(ctx, { username: "kept", nickname: "会员小王" }));
    await database.prisma.$executeRawUnsafe(update);
    for (const m of placeholders) expect((await database.prisma.member.findUniqueOrThrow({ where: { id: m.id } })).nickname).toBe(defaultDisplayName(m.id));
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: kept.id } })).nickname).toBe("会员小王");
  });
});
