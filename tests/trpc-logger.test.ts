// The browser's tRPC logger: in production a refusal the page shows itself (订单不存在 for another's order,
// a signed-out visit, bad input) is no console error; a server error or a lost connection still is.
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { logsTrpcOperation } from "../trpc/react";

function refusal(code: string, httpStatus: number) {
  return TRPCClientError.from({ error: { message: code, code: -32000, data: { code, httpStatus } } });
}

describe("logsTrpcOperation", () => {
  it("in production, a 4xx refusal is not logged", () => {
    for (const [code, status] of [["NOT_FOUND", 404], ["UNAUTHORIZED", 401], ["BAD_REQUEST", 400], ["FORBIDDEN", 403]] as const)
      expect(logsTrpcOperation({ direction: "down", result: refusal(code, status) }, false), code).toBe(false);
  });

  it("in production, a server error and a network failure are logged", () => {
    expect(logsTrpcOperation({ direction: "down", result: refusal("INTERNAL_SERVER_ERROR", 500) }, false)).toBe(true);
    expect(logsTrpcOperation({ direction: "down", result: new TRPCClientError("Failed to fetch") }, false)).toBe(true);
  });

  it("in production, requests and successes are not logged", () => {
    expect(logsTrpcOperation({ direction: "up" }, false)).toBe(false);
    expect(logsTrpcOperation({ direction: "down", result: { result: { type: "data", data: 1 } } }, false)).toBe(false);
  });

  it("in development, everything is logged, refusals included", () => {
    expect(logsTrpcOperation({ direction: "up" }, true)).toBe(true);
    expect(logsTrpcOperation({ direction: "down", result: refusal("NOT_FOUND", 404) }, true)).toBe(true);
  });
});
