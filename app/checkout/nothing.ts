// Whether a cart checkout has anything to order: with nothing, the page shows that instead of asking the
// server for a preview it can only refuse (购物车是空的 / 请选择要结算的商品).
export type NothingToCheckOut = "empty" | "unselected" | null;

export function nothingToCheckOut(cart: { items: readonly { selected: boolean }[] }): NothingToCheckOut {
  if (cart.items.length === 0) return "empty";
  return cart.items.some((i) => i.selected) ? null : "unselected";
}
