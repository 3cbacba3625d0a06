// Zod schema of the ship form, shared by the dialog (react-hook-form resolver) and the tRPC input.
import { z } from "@/lib/zod-client";
import { id } from "@/server/validation";

/** The carriers' codes, the one list (server/orders/shipping.ts CARRIER_CODES): their names are order.carrier.<code> in the catalogues. */
export const SHIP_CARRIERS = ["SF", "ZTO", "YTO", "YD", "STO", "JD", "EMS", "JT", "DBL"] as const;

export const TRACKING_RE = /^[A-Za-z0-9-]{6,40}$/;

export const shipFormInput = z.object({
  carrier: z.enum(SHIP_CARRIERS, { error: "请选择物流公司" }),
  trackingNo: z
    .string()
    .trim()
    // A message key: the dialog words it in the page's language, the API (server/api/input-errors.ts) by input.format.trackingNo.
    .regex(TRACKING_RE, "mo.ship.trackingNoInvalid"),
});
export type ShipForm = z.infer<typeof shipFormInput>;

export const shipWithTrackingInput = shipFormInput.extend({ id: id() });
