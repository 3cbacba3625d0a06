/**
 * tRPC setup (create-t3-app layout): the context, the transformer, and the procedure builders.
 * Routers live in ./routers and are registered by hand in ./root.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getDb } from "@/server/db";
import { getServerAuthSession } from "@/server/auth";
import { DomainError } from "@/server/context";

export async function createTRPCContext(opts: { headers: Headers }) {
  const [db, session] = await Promise.all([getDb(), getServerAuthSession()]);
  return { db, session, headers: opts.headers };
}
export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        domainCode: error.cause instanceof DomainError ? error.cause.code : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Turns a refusal from the domain engine into a client error with its (Chinese) message. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

/** A signed-in shopper (any role). */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session?.user?.id) throw new TRPCError({ code: "UNAUTHORIZED", message: "请先登录" });
  return next({ ctx: { ...ctx, session: { ...ctx.session, user: ctx.session.user } } });
});

/** Merchant staff. The role is re-read from the database so a revoked role takes effect at once. */
export function staffProcedure(minRole: "STAFF" | "ADMIN" = "STAFF") {
  return protectedProcedure.use(async ({ ctx, next }) => {
    const member = await ctx.db.member.findUnique({ where: { id: ctx.session.user.id }, select: { role: true, frozen: true } });
    const allowed = minRole === "ADMIN" ? member?.role === "ADMIN" : member?.role === "STAFF" || member?.role === "ADMIN";
    if (!member || member.frozen || !allowed) throw new TRPCError({ code: "FORBIDDEN", message: "无权访问" });
    return next({ ctx: { ...ctx, staffRole: member.role } });
  });
}
