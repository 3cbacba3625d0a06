// An order's shipping address and personal-information law (PIPL): the fingerprint risk control compares
// (SPEC §8 shared_address), who in the back office reads the address whole and when, and what the orders of a
// deleted account keep.
//
// The fingerprint is keyed with the phones' lookup key (lookupHash): an unkeyed hash of a place can be reversed by
// hashing guessed addresses. Orders placed before it was keyed carry the unkeyed one; createOrder compares a new
// order with both, since such an order still holds its address in clear beside it (the old hash tells nothing more).
// Once the address is masked (account deletion) the old hash would be the only trace of it left, so the deletion
// recomputes it keyed from the address first (maskAddressesOfDeletedMember). A migration cannot: SQL has no key.
import { createHash } from "node:crypto";
import type { Ctx } from "../context";
import type { OrderStatus } from "../db/generated/client";
import { lookupHash, maskPhone } from "../auth/crypto";
import { areaList, areaNames, regionText } from "../members/area";
import { MAINLAND_MOBILE_RE } from "../members/phone";

/** A phone as maskPhone writes it: an address masked once is masked again to itself. */
const MASKED_MOBILE_RE = /^1[3-9]\d\*{4}\d{4}$/;

function normalisedPlace(place: string): string {
  return place.trim().replace(/\s+/g, " ").toLowerCase();
}

/** SPEC §8 shared_address: the fingerprint of the place an order ships to, keyed (a label of its own under the lookup key). */
export function addressHash(place: string): string {
  return lookupHash(`order-address:${normalisedPlace(place)}`);
}

/** The unkeyed fingerprint of orders placed before addressHash was keyed: compared still, never written. */
export function legacyAddressHash(place: string): string {
  return createHash("sha256").update(normalisedPlace(place)).digest("hex");
}

/**
 * The places an order's fingerprint may have been made of: what follows each mobile number in its address (checkout's
 * region and street, shippingPlace; the name may hold spaces or digits), then the whole address (an order placed with
 * no separate key, e.g. a scenario's).
 */
function fingerprintedPlaces(address: string): string[] {
  const parts = address.trim().split(/\s+/).filter(Boolean);
  const places = parts.flatMap((p, i) => (i > 0 && i < parts.length - 1 && MAINLAND_MOBILE_RE.test(p) ? [parts.slice(i + 1).join(" ")] : []));
  return [...places, address];
}

/** The keyed form of an order's stored fingerprint, found from its address; null when neither form of any place matches. */
function keyedFingerprint(address: string, stored: string): string | null {
  for (const place of fingerprintedPlaces(address)) {
    const keyed = addressHash(place);
    if (stored === keyed || stored === legacyAddressHash(place)) return keyed;
  }
  return null;
}

let knownRegions: Set<string> | null = null;
/** Every region as the address book writes it from the 省/市/区 picker ("浙江省 杭州市 西湖区", "上海市 浦东新区"). */
function isKnownRegion(text: string): boolean {
  knownRegions ??= new Set(
    Object.keys(areaList.county_list).flatMap((code) => {
      const names = areaNames(code);
      return names ? [regionText(names)] : [];
    }),
  );
  return knownRegions.has(text);
}

/**
 * The order's address as a role that may not see it whole reads it. The order stores one string written
 * as "name phone region detail" (formatShippingAddress), where the name may hold spaces and the region
 * has two or three parts, so nothing here counts spaces: the phone is the first 11-digit mainland mobile
 * after the name, the region is kept only when it is one the area picker writes, and everything else
 * (the street, or anything not understood) is "****". Never the full phone, never a part of the street:
 * "王小明 13912345678 上海市 浦东新区 世纪大道100号" → "王** 139****5678 上海市 浦东新区 ****".
 * A masked address masks to itself (a deleted account's orders store it so).
 */
export function maskAddress(address: string): string {
  const parts = address.trim().split(/\s+/).filter(Boolean);
  const at = parts.findIndex((p, i) => i > 0 && (MAINLAND_MOBILE_RE.test(p) || MASKED_MOBILE_RE.test(p)));
  if (at < 0) return "****";
  const name = Array.from(parts.slice(0, at).join(" "));
  const maskedName = name.length > 1 ? `${name[0]}${"*".repeat(name.length - 1)}` : "*";
  const rest = parts.slice(at + 1);
  // The longest leading run of 3 or 2 parts that is a known region; none → the whole place is masked.
  const regionParts = [3, 2].find((n) => rest.length > n && isKnownRegion(rest.slice(0, n).join(" ")));
  const place = regionParts ? [...rest.slice(0, regionParts), "****"] : ["****"];
  return [maskedName, maskPhone(parts[at]!), ...place].join(" ");
}

/**
 * Whether the order still needs its address whole: to be shipped (PAID), while the parcel travels (SHIPPED: a failed
 * delivery is sent again), or while an after-sales request is open (a return, a replacement). Not before payment,
 * and not once delivered, completed, cancelled or refunded.
 */
export function addressInUse(status: OrderStatus, openAfterSale: boolean): boolean {
  return status === "PAID" || status === "SHIPPED" || openAfterSale;
}

/** Why staff read an address masked: their role does not ship, the order no longer needs it, or the buyer deleted their account. */
export type AddressMaskReason = "role" | "done" | "deleted";

/**
 * The order's address as the back office shows it: whole only to a role that ships (`mayShip`) and only while the
 * order needs it (addressInUse); otherwise masked, with the reason. More is the owner's audited reveal of the
 * member's address (server/members/admin.ts revealMemberField).
 */
export function staffAddressView(
  address: string | null,
  o: { mayShip: boolean; status: OrderStatus; openAfterSale: boolean; buyerDeleted: boolean },
): { address: string | null; masked: boolean; why: AddressMaskReason | null } {
  if (!address) return { address: null, masked: false, why: null };
  const why: AddressMaskReason | null = o.buyerDeleted ? "deleted" : !o.mayShip ? "role" : !addressInUse(o.status, o.openAfterSale) ? "done" : null;
  return why ? { address: maskAddress(address), masked: true, why } : { address, masked: false, why: null };
}

/**
 * 注销账号: every order of the member keeps its address masked (maskAddress) and its fingerprint keyed, so risk
 * control still matches the place (SPEC §8) and nothing else reads it. Deletion is refused while an order is unpaid,
 * paid and not yet COMPLETED, or has an open after-sales request (server/members/deletion.ts, under its locks), so
 * none of them ships or takes a return any more. Returns how many orders it masked.
 */
export async function maskAddressesOfDeletedMember(ctx: Pick<Ctx, "tx">, memberId: number): Promise<number> {
  const orders = await ctx.tx.order.findMany({ where: { memberId, address: { not: null } }, select: { id: true, address: true, addressHash: true }, orderBy: { id: "asc" } });
  if (orders.length === 0) return 0;
  const ids = orders.map((o) => o.id);
  const masked = orders.map((o) => maskAddress(o.address!));
  const hashes = orders.map((o) => (o.addressHash === null ? null : keyedFingerprint(o.address!, o.addressHash)));
  await ctx.tx.$executeRaw`
    UPDATE "Order" o SET address = x.address, "addressHash" = x.hash
    FROM unnest(${ids}::int[], ${masked}::text[], ${hashes}::text[]) AS x(id, address, hash)
    WHERE o.id = x.id`;
  return orders.length;
}
