// How the back office lists an order's lines in one cell (orders list, its CSV, the after-sales queue):
// 名称（规格） ×数量, the variant as it was bought — OrderLine.skuLabel is a snapshot taken at order
// creation, so renaming an option value or deactivating the SKU later never changes it.

export type SummaryLine = { product: { name: string }; skuLabel: string; qty: number };

/** "W3 测试T恤（颜色：蓝；尺码：S） ×1"; a line without options reads "龙井 ×1". */
export function lineText(l: SummaryLine): string {
  return `${l.product.name}${l.skuLabel ? `（${l.skuLabel}）` : ""} ×${l.qty}`;
}

/** The order's lines, in order, joined with a full-width comma. */
export function linesSummary(lines: readonly SummaryLine[]): string {
  return lines.map(lineText).join("，");
}
