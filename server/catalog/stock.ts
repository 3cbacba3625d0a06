// Stock as shoppers read it: words, not numbers (有货 / 仅剩少量 / 已售罄). No server imports: the
// product page's client code uses it too.
export const LOW_STOCK_AT_MOST = 10;

export type StockState = "in_stock" | "low" | "sold_out";

export function stockState(stock: number): StockState {
  return stock <= 0 ? "sold_out" : stock <= LOW_STOCK_AT_MOST ? "low" : "in_stock";
}
