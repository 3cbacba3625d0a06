// The back office's WCAG 2.2 AA review: the modal gives the focus back when it ends (also when its caller unmounts
// it open), the ship form's errors are tied to their fields and read out, the folded sidebar leaves the tab order and
// closes on Escape, the KPI definitions open from a button, and the sort buttons are 24 px tall.
// No DOM here: the behaviour that needs one is driven through the functions the components' effects run, on fakes.
import { createElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SearchParamsContext } from "next/dist/shared/lib/hooks-client-context.shared-runtime";
import type { UseFormRegisterReturn } from "react-hook-form";
import { openModal } from "../components/merchant/ConfirmDialog";
import { DataTable } from "../components/merchant/DataTable";
import { ShipFields } from "../app/merchant/orders/ShipDialog";
import { openMenu, Sidebar } from "../app/merchant/_components/Sidebar";
import { Definition, KpiClient } from "../app/merchant/kpi/KpiClient";
import { CARDS } from "../app/merchant/kpi/cards";
import type { Database } from "../server/db";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

type Focusable = { isConnected: boolean; focus: () => void };

function focusable(connected = true): Focusable {
  return { isConnected: connected, focus: vi.fn() };
}

/** A <dialog> as openModal uses it: showModal moves the focus into it, as the browser does. */
function fakeDialog(focusedBefore: Focusable) {
  const inside = focusable();
  const doc = { activeElement: focusedBefore as unknown };
  const d = {
    open: false,
    ownerDocument: doc,
    showModal: vi.fn(() => ((d.open = true), (doc.activeElement = inside))),
    close: vi.fn(() => (d.open = false)),
  };
  return d;
}

describe("ConfirmDialog's modal", () => {
  it("opens as a modal and, when it ends, closes and gives the focus back to the button that opened it", () => {
    const shipButton = focusable();
    const d = fakeDialog(shipButton);
    const end = openModal(d as never);
    expect(d.showModal).toHaveBeenCalledTimes(1);
    expect(d.open).toBe(true);
    // ShipDialog unmounted by OrdersClient while open: React runs the effect's cleanup, nothing else closes it.
    end();
    expect(d.close).toHaveBeenCalledTimes(1);
    expect(d.open).toBe(false);
    expect(shipButton.focus).toHaveBeenCalledTimes(1);
  });

  it("gives the focus to nothing when the element that had it has left the page (the shipped row's button)", () => {
    const gone = focusable(false);
    const d = fakeDialog(gone);
    openModal(d as never)();
    expect(d.close).toHaveBeenCalledTimes(1);
    expect(gone.focus).not.toHaveBeenCalled();
  });

  it("does not close twice a dialog the browser already closed", () => {
    const opener = focusable();
    const d = fakeDialog(opener);
    const end = openModal(d as never);
    d.open = false;
    end();
    expect(d.close).not.toHaveBeenCalled();
    expect(opener.focus).toHaveBeenCalledTimes(1);
  });
});

const registered = <N extends string>(name: N) => ({ name, onChange: async () => {}, onBlur: async () => {}, ref: () => {} }) as UseFormRegisterReturn<N>;

describe("the ship dialog's errors", () => {
  const fields = (errors: { carrier?: string; trackingNo?: string }) =>
    renderInProviders(createElement(ShipFields, { carrier: registered("carrier"), trackingNo: registered("trackingNo"), errors })).html;

  it("mark each refused field invalid and describe it by its message, read out as it appears", () => {
    const html = fields({ carrier: "请选择物流公司", trackingNo: "运单号为 6-40 位字母或数字" });
    const select = /<select[^>]*>/.exec(html)![0];
    const input = /<input[^>]*name="trackingNo"[^>]*>/.exec(html)![0];
    expect(select).toContain('aria-invalid="true"');
    expect(select).toContain('aria-describedby="ship-carrier-error"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="ship-trackingNo-error"');
    expect(html).toMatch(/<p id="ship-carrier-error" role="alert"[^>]*>请选择物流公司<\/p>/);
    expect(html).toMatch(/<p id="ship-trackingNo-error" role="alert"[^>]*>运单号为 6-40 位字母或数字<\/p>/);
  });

  it("leave a valid field alone", () => {
    const html = fields({ trackingNo: "运单号为 6-40 位字母或数字" });
    const select = /<select[^>]*>/.exec(html)![0];
    expect(select).not.toContain("aria-invalid");
    expect(select).not.toContain("aria-describedby");
    expect(html).not.toContain("ship-carrier-error");
  });
});

describe("the folded sidebar", () => {
  it("is invisible below lg while closed (its links leave the tab order), visible from lg on", () => {
    const html = renderInProviders(createElement(Sidebar, { role: "owner" })).html;
    const nav = /<nav[^>]*class="([^"]*)"/.exec(html)![1]!.split(/\s+/);
    expect(nav).toContain("-translate-x-full");
    expect(nav).toContain("max-lg:invisible");
    expect(nav).not.toContain("invisible");
  });

  it("when opened, focuses its first link; Escape closes it and gives the focus back to ☰", () => {
    const doc = new EventTarget();
    const firstLink = focusable();
    const nav = { ownerDocument: doc, querySelector: (selector: string) => (selector === "a[href]" ? firstLink : null) };
    const menuButton = focusable();
    const close = vi.fn();
    const stop = openMenu(nav as never, menuButton as never, close);
    expect(firstLink.focus).toHaveBeenCalledTimes(1);

    doc.dispatchEvent(Object.assign(new Event("keydown"), { key: "Tab" }));
    expect(close).not.toHaveBeenCalled();
    doc.dispatchEvent(Object.assign(new Event("keydown"), { key: "Escape" }));
    expect(close).toHaveBeenCalledTimes(1);
    expect(menuButton.focus).toHaveBeenCalledTimes(1);

    // Closed: Escape no longer concerns it.
    stop();
    doc.dispatchEvent(Object.assign(new Event("keydown"), { key: "Escape" }));
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe("a KPI definition", () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it("is a button named after its figure and described by the definition, which it shows on focus or tap", () => {
    const { html } = renderInProviders(createElement(Definition, { label: "GMV", text: "统计期内支付订单的商品金额" }));
    const button = /<button[^>]*>/.exec(html)![0];
    expect(button).toContain('aria-label="GMV的定义"');
    const id = /aria-describedby="([^"]+)"/.exec(button)![1]!;
    // Hidden until the button has the focus or is tapped; a description is read out hidden or not.
    expect(html).toMatch(new RegExp(`<span id="${id}" role="tooltip" hidden=""[^>]*>统计期内支付订单的商品金额</span>`));
  });

  it("is there for every card of the dashboard, with the card's definition text", async () => {
    database = await freshPglite();
    const owner = await signedInStaff(database.prisma, "owner");
    const dashboard = await owner.caller.merchantKpi.dashboard({ preset: "7d" });
    const page = createElement(SearchParamsContext.Provider, { value: new URLSearchParams("preset=7d") as never }, createElement(KpiClient));
    const { html } = renderInProviders(page, "en", (trpc, qc) => qc.setQueryData(trpc.merchantKpi.dashboard.queryKey({ preset: "7d" }), dashboard as never));
    expect(html).toContain('data-testid="kpi-gmv"');
    for (const [label, def] of [
      ["GMV", "Goods amount of the orders paid in the period (no shipping; orders refunded later included)"],
      ["Paid orders", "Orders paid in the period"],
      ["Average order value", "GMV ÷ paid orders"],
    ]) {
      const button = new RegExp(`<button[^>]*aria-label="What ${label} means"[^>]*aria-describedby="([^"]+)"`).exec(html);
      expect(button, label).not.toBeNull();
      expect(html, label).toContain(`<span id="${button![1]}" role="tooltip" hidden=""`);
      const tooltip = html.slice(html.indexOf(`<span id="${button![1]}"`));
      expect(tooltip.slice(tooltip.indexOf(">") + 1).startsWith(`${def}</span>`), label).toBe(true);
    }
    expect(html.match(/role="tooltip"/g)!.length).toBeGreaterThanOrEqual(CARDS.length);
  });
});

describe("the table's sort buttons", () => {
  it("are at least 24 px tall, with the header row's height kept", () => {
    const columns = [{ id: "createdAt", header: "下单时间", cell: () => "x" }];
    const table = createElement(DataTable<{ id: number }>, { id: "t", columns, rows: [{ id: 1 }], total: 1, getRowId: (r: { id: number }) => String(r.id) });
    const { html } = renderInProviders(createElement(SearchParamsContext.Provider, { value: new URLSearchParams() as never }, table));
    const button = /<button[^>]*class="([^"]*)"[^>]*>下单时间/.exec(html);
    expect(button).not.toBeNull();
    const classes = button![1]!.split(/\s+/);
    // min-h-6 = 1.5rem = 24 px; -my-1 takes the 2 × 4 px it adds over the 16 px line back out of the cell's padding.
    expect(classes).toContain("min-h-6");
    expect(classes).toContain("-my-1");
  });
});
