// The buying path's dead ends, as a phone renders them: a grey 提交订单 over a line that cannot be ordered says
// why and leads back to the cart; a cart line that cannot be checked out says whether it is off the shelf, sold
// out or short of stock (not "库存不足" for all three), and an off-shelf line's + is not offered.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { renderInProviders } from "./helpers/render";
import { CheckoutView } from "../app/checkout/CheckoutView";
import { CartView } from "../app/cart/CartView";

const ADDRESS = { id: 1, memberId: 1, name: "张三", phone: "13912345678", region: "浙江省 杭州市 西湖区", areaCode: "330106", detail: "文三路 100 号", isDefault: true, createdAt: new Date() };

function line(over: { skuId: number; name: string; active: boolean; stock: number; qty: number }) {
  const product = { id: over.skuId, sku: `s${over.skuId}`, skuId: over.skuId, skuLabel: "", name: over.name, priceFen: 1_000, imageUrl: null, stock: over.stock, category: "tea", active: over.active };
  return { productId: over.skuId, skuId: over.skuId, qty: over.qty, selected: true, available: over.active && over.stock >= over.qty, lineFen: 1_000 * over.qty, product };
}

describe("checkout with a line that cannot be ordered", () => {
  const preview = {
    lines: [{ productId: 1, skuId: 1, sku: "tea", skuLabel: "", name: "龙井", imageUrl: null, unitPriceFen: 9_900, qty: 1, grossFen: 9_900, discountFen: 0, goodsFen: 9_900, problem: "已售罄" }],
    grossFen: 9_900, discountFen: 0, goodsFen: 9_900, shippingFen: 0, creditBalanceFen: 0, creditUsableFen: 0, tierDiscountBps: 0, ok: false,
  };

  it("the disabled 提交订单 says why and, for a cart checkout, links back to the cart", () => {
    const source = { kind: "cart" } as const;
    const { html } = renderInProviders(createElement(CheckoutView, { source }), "zh-CN", (trpc, qc) => {
      qc.setQueryData(trpc.address.list.queryKey(), [ADDRESS]);
      qc.setQueryData(trpc.order.preview.queryKey({ source }), preview);
    });
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-describedby="checkout-hint"/);
    expect(html).toMatch(/data-testid="checkout-hint"[^>]*>有商品库存不足或已下架，调整后才能提交<a[^>]*href="\/cart"[^>]*>回购物车<\/a>/);
  });

  it("in English too; a 立即购买 checkout has no cart to go back to", () => {
    const source = { kind: "buyNow", sku: "tea", qty: 1 } as const;
    const { html } = renderInProviders(createElement(CheckoutView, { source }), "en", (trpc, qc) => {
      qc.setQueryData(trpc.address.list.queryKey(), [ADDRESS]);
      qc.setQueryData(trpc.order.preview.queryKey({ source }), preview);
    });
    expect(html).toContain("Some items are out of stock or off the shelf; adjust them to place the order");
    expect(html).not.toContain('href="/cart"');
  });
});

describe("cart lines that cannot be checked out", () => {
  it("say off the shelf, sold out or how many are left; an off-shelf line offers no +", () => {
    const items = [
      line({ skuId: 1, name: "龙井", active: false, stock: 50, qty: 1 }),
      line({ skuId: 2, name: "坚果", active: true, stock: 0, qty: 1 }),
      line({ skuId: 3, name: "红茶", active: true, stock: 2, qty: 3 }),
    ];
    const { html } = renderInProviders(createElement(CartView, { recommendations: null }), "zh-CN", (trpc, qc) => {
      qc.setQueryData(trpc.cart.list.queryKey(), { items, totalFen: 0, selectedCount: 0, count: 5 });
    });
    const problems = [...html.matchAll(/data-testid="cart-line-problem"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(problems).toEqual(["商品已下架", "已售罄", "库存不足，仅剩 2 件"]);
    const plus = [...html.matchAll(/<button[^>]*aria-label="增加[^"]*"[^>]*>/g)].map((m) => m[0].includes('disabled=""'));
    // 龙井: off the shelf though 50 in stock; 坚果: 1 in the cart, 0 in stock; 红茶: 3 in the cart, 2 in stock.
    expect(plus).toEqual([true, true, true]);
  });
});
