// Shipping address book. A member only ever reads or changes their own addresses: every function
// takes the member id and scopes its queries by it (someone else's id is simply "not found"). Every change
// holds the member's row (lockLiveMember), so two at once cannot both pass the count or leave two defaults,
// and the database keeps one default per member ("Address_one_default", migration 20261210040000_address_one_default).
import type { Ctx } from "../context";
import { refuse } from "../context";
import { ADDRESS_LIMITS, charCount } from "./address-limits";
import { areaNames, regionText } from "./area";
import { lockLiveMember } from "./live";
import { isMainlandMobile, normalizePhone } from "./phone";

export const MAX_ADDRESSES = 20;
export { MAINLAND_MOBILE_RE } from "./phone";

export interface AddressInput {
  name: string;
  phone: string;
  /** Free text; ignored when areaCode is given (the region is then derived from it). */
  region?: string;
  /** County-level division code from the 省/市/区 picker. */
  areaCode?: string | null;
  detail: string;
  isDefault?: boolean;
}

export interface ValidAddress {
  name: string;
  phone: string;
  region: string;
  areaCode: string | null;
  detail: string;
  isDefault: boolean;
}

type Reader = Pick<Ctx, "tx">;

/** Trims and validates an address; refuses with a Chinese message naming the field. */
export function validateAddress(input: AddressInput): ValidAddress {
  const name = (input.name ?? "").trim();
  const phone = normalizePhone(input.phone ?? "");
  const areaCode = input.areaCode ?? null;
  const names = areaCode === null ? null : areaNames(areaCode);
  const region = names ? regionText(names) : (input.region ?? "").trim().replace(/\s+/g, " ");
  const detail = (input.detail ?? "").trim();
  const nameLen = charCount(name);
  if (nameLen < 1 || nameLen > ADDRESS_LIMITS.name) refuse("INVALID_NAME", `收货人姓名需为 1-${ADDRESS_LIMITS.name} 个字`);
  if (!isMainlandMobile(phone)) refuse("INVALID_PHONE", "请输入正确的 11 位手机号");
  if (areaCode !== null && !names) refuse("INVALID_REGION", "请选择省/市/区");
  if (!region) refuse("INVALID_REGION", "请填写所在地区");
  if (charCount(region) > ADDRESS_LIMITS.region) refuse("INVALID_REGION", "所在地区过长");
  if (!detail) refuse("INVALID_DETAIL", "请填写详细地址");
  if (charCount(detail) > ADDRESS_LIMITS.detail) refuse("INVALID_DETAIL", `详细地址不超过 ${ADDRESS_LIMITS.detail} 个字`);
  return { name, phone, region, areaCode, detail, isDefault: !!input.isDefault };
}

/** The member's addresses, default first, then newest. */
export function listAddresses(ctx: Reader, memberId: number) {
  return ctx.tx.address.findMany({ where: { memberId }, orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }, { id: "desc" }] });
}

export async function getOwnAddress(ctx: Reader, memberId: number, addressId: number) {
  const row = await ctx.tx.address.findFirst({ where: { id: addressId, memberId } });
  if (!row) refuse("ADDRESS_NOT_FOUND", "收货地址不存在");
  return row;
}

/** Adds an address; the first one, or one marked default, becomes the default. */
export async function addAddress(ctx: Reader, memberId: number, input: AddressInput) {
  const a = validateAddress(input);
  await lockLiveMember(ctx, memberId);
  const count = await ctx.tx.address.count({ where: { memberId } });
  if (count >= MAX_ADDRESSES) refuse("TOO_MANY_ADDRESSES", `最多保存 ${MAX_ADDRESSES} 个收货地址`);
  const isDefault = a.isDefault || count === 0;
  if (isDefault) await ctx.tx.address.updateMany({ where: { memberId, isDefault: true }, data: { isDefault: false } });
  return ctx.tx.address.create({ data: { memberId, name: a.name, phone: a.phone, region: a.region, areaCode: a.areaCode, detail: a.detail, isDefault } });
}

export async function updateAddress(ctx: Reader, memberId: number, addressId: number, input: AddressInput) {
  await lockLiveMember(ctx, memberId);
  const current = await getOwnAddress(ctx, memberId, addressId);
  const a = validateAddress(input);
  // Un-ticking "default" on the default address keeps it default (there must be one).
  const isDefault = a.isDefault || current.isDefault;
  if (isDefault && !current.isDefault) await ctx.tx.address.updateMany({ where: { memberId, isDefault: true }, data: { isDefault: false } });
  return ctx.tx.address.update({ where: { id: current.id }, data: { name: a.name, phone: a.phone, region: a.region, areaCode: a.areaCode, detail: a.detail, isDefault } });
}

/** Deletes an address; when it was the default, the newest remaining one becomes the default. */
export async function deleteAddress(ctx: Reader, memberId: number, addressId: number): Promise<void> {
  await lockLiveMember(ctx, memberId);
  const current = await getOwnAddress(ctx, memberId, addressId);
  await ctx.tx.address.delete({ where: { id: current.id } });
  if (current.isDefault) {
    const next = await ctx.tx.address.findFirst({ where: { memberId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    if (next) await ctx.tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
  }
}

export async function setDefaultAddress(ctx: Reader, memberId: number, addressId: number) {
  await lockLiveMember(ctx, memberId);
  const current = await getOwnAddress(ctx, memberId, addressId);
  await ctx.tx.address.updateMany({ where: { memberId, isDefault: true, id: { not: current.id } }, data: { isDefault: false } });
  return ctx.tx.address.update({ where: { id: current.id }, data: { isDefault: true } });
}

/** The text written on an order: recipient, phone, then the place. */
export function formatShippingAddress(a: { name: string; phone: string; region: string; detail: string }): string {
  return `${a.name} ${a.phone} ${a.region} ${a.detail}`;
}

/** The place only (what "the same address" means for risk control, SPEC §8 shared_address). */
export function shippingPlace(a: { region: string; detail: string }): string {
  return `${a.region} ${a.detail}`;
}
