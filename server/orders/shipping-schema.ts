// Zod schema of the ship form, shared by the dialog (react-hook-form resolver) and the tRPC input.
import { z } from "@/lib/zod-client";
import { id } from "@/server/validation";

export const SHIP_CARRIERS = ["SF", "ZTO", "YTO", "YD", "STO", "JD", "EMS", "JT", "DBL"] as const;

export const shipFormInput = z.object({
  carrier: z.enum(SHIP_CARRIERS, { error: "请选择物流公司" }),
  trackingNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, "运单号为 6-40 位字母或数字"),
});
export type ShipForm = z.infer<typeof shipFormInput>;

export const shipWithTrackingInput = shipFormInput.extend({ id: id() });
