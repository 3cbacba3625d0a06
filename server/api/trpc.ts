/**
 * tRPC setup (create-t3-app layout): the context, the transformer, and the procedure builders.
 * Routers live in ./routers and are registered by hand in ./root.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getDb } from "@/server/db";
import { getServerAuthSession, hasSessionCookie } from "@/server/auth";
import { DomainError } from "@/server/context";
import { staffTokenFromCookieHeader, validateStaffSession } from "@/server/staff/sessions";
import { roleAllowed, type StaffRole } from "@/server/staff/roles";
import { configuredSiteOrigin } from "@/server/env";
import { invalidateSharedPages } from "@/server/page-cache";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "@/lib/security/origin";
import { localeFromCookieHeader } from "@/lib/i18n/core";
import { internalErrorMessage, logInternalError, requestIdFrom } from "./internal-errors";
import { inputErrorMessage } from "./input-errors";

export async function createTRPCContext(opts: { headers: Headers }) {
  // An anonymous visitor (public catalogue queries) costs no session decoding.
  const [db, session] = await Promise.all([getDb(), hasSessionCookie(opts.headers.get("cookie")) ? getServerAuthSession() : null]);
  return {
    db,
    session,
    headers: opts.headers,
    /** The staff cookie's token; checked against its StaffSession row by the staff procedures. */
    staffToken: staffTokenFromCookieHeader(opts.headers.get("cookie")),
    /** Ties audit entries to the request (a proxy's X-Request-Id when it sends one). */
    requestId: requestIdFrom(opts.headers),
  };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx, path }) {
    // Never a stack trace, whatever NODE_ENV says.
    const { stack: _stack, ...data } = shape.data;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // Logged here, not in the route's onError: this is the one place that knows the id the client gets
      // (also when the context itself failed to build and there is no ctx).
      const requestId = ctx?.requestId ?? crypto.randomUUID();
      logInternalError(`tRPC ${path ?? "<no-path>"}`, requestId, error.cause ?? error);
      return { ...shape, message: internalErrorMessage(requestId), data: { ...data, requestId, zodError: null, domainCode: null } };
    }
    // Input validation: a sentence in the caller's language instead of zod's JSON list of issues (kept in zodError).
    const invalidInput = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: invalidInput ? inputErrorMessage(invalidInput, localeFromCookieHeader(ctx?.headers.get("cookie"))) : shape.message,
      data: {
        ...data,
        requestId: ctx?.requestId ?? null,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        domainCode: error.cause instanceof DomainError ? error.cause.code : null,
        domainIssues: error.cause instanceof DomainError ? (error.cause.issues ?? null) : null,
        domainParams: error.cause instanceof DomainError ? (error.cause.params ?? null) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Refusals because the stored state moved on under the editor's form (a concurrent or scheduled change): reload, not correct. */
const CONFLICT_REFUSALS: ReadonlySet<string> = new Set(["RULES_STALE", "RULES_SCHEDULED_DIFFERS", "LEGAL_STALE", "STALE_PRODUCT", "SHOP_PROFILE_STALE", "CATEGORY_STALE", "CLIENT_KEY_REUSED", "ADJUSTMENT_KEY_REUSED", "INVITE_KEY_REUSED", "INVITE_ALREADY_SIGNED_IN"]);

/** Refusals because another change holds what this one needs at this moment (server/wallet/payee.ts NOWAIT): try again. */
const BUSY_REFUSALS: ReadonlySet<string> = new Set(["WALLET_BUSY"]);

/** Turns a refusal from the domain engine into a client error with its (Chinese) message. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  // A DomainError thrown as is reaches here as INTERNAL_SERVER_ERROR; a router's own TRPCError with one as cause keeps its code (auth's 429).
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause instanceof DomainError) {
    const code = CONFLICT_REFUSALS.has(result.error.cause.code) || BUSY_REFUSALS.has(result.error.cause.code) ? "CONFLICT" : "BAD_REQUEST";
    throw new TRPCError({ code, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

/**
 * Mutations only from our own pages: a browser's cross-site POST (a form or fetch on another site
 * riding the shopper's cookies) is refused by its Origin / Sec-Fetch-Site. Queries change nothing.
 */
const sameSiteMutations = t.middleware(({ ctx, type, path, next }) => {
  if (type === "mutation") {
    const refused = crossSiteRefusal(ctx.headers, configuredSiteOrigin());
    if (refused) {
      console.warn(`[security] cross-site tRPC mutation ${path} refused (${refused})`);
      throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_MESSAGE });
    }
  }
  return next();
});

export const publicProcedure = t.procedure.use(sameSiteMutations).use(domainErrors);

/** A signed-in shopper (any role). */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session?.user?.id) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录" });
  return next({ ctx: { ...ctx, session: { ...ctx.session, user: ctx.session.user } } });
});

/**
 * A signed-in member of staff whose session may still be finishing set-up (TOTP enrolment, a new
 * password): only the account procedures use it. The session row is checked on every call, so a
 * revoked session, a disabled account or a changed role takes effect at once. Shopper sessions are
 * never looked at here.
 */
export const staffSessionProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const staff = await validateStaffSession(ctx.db, ctx.staffToken, new Date());
  if (!staff) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录商家后台" });
  const result = await next({ ctx: { ...ctx, staff, actor: { staffId: staff.staffId, requestId: ctx.requestId } } });
  // A back-office change (catalogue, stock, rules, a member frozen…) shows on the shared pages at once.
  if (type === "mutation" && result.ok) invalidateSharedPages();
  return result;
});

/** Back-office staff with one of `roles` (the owner always passes; no roles = owner only). */
export function staffProcedure(...roles: StaffRole[]) {
  return staffSessionProcedure.use(({ ctx, next }) => {
    if (!ctx.staff.ready) throw new TRPCError({ code: "FORBIDDEN", message: ctx.staff.pending === "password-change" ? "请先修改初始密码" : "请先完成两步验证" });
    if (!roleAllowed(ctx.staff.role, roles)) throw new TRPCError({ code: "FORBIDDEN", message: "无权访问" });
    return next({ ctx });
  });
}
