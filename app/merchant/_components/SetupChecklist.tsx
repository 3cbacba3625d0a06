// The 开店准备 checklist on the back office's home (server/setup/checklist.ts): open while an item is, then one line
// the owner can still expand. A server component: <details> folds it without any script.
import Link from "next/link";
import type { MessageKey, Translator } from "@/lib/i18n/core";
import { formatYuanGrouped } from "@/components/money";
import { canAccess, type Area, type StaffRole } from "@/server/staff/roles";
import { SETUP_ITEMS, type SetupItem, type ShopSetup } from "@/server/setup/checklist";

/** Where each item is done: a page and the area that opens it, or a deployment setting (no page). */
const WHERE: Record<SetupItem, { href: string; area: Area } | null> = {
  shopProfile: { href: "/merchant/shop", area: "home" },
  legal: { href: "/merchant/legal", area: "rulesWrite" },
  products: { href: "/merchant/products", area: "products" },
  rules: { href: "/merchant/rules", area: "rulesRead" },
  payments: null,
  sms: null,
  ownerTotp: { href: "/merchant/staff", area: "staff" },
};

function Row(props: { testId: string; done: boolean; title: string; why: string; href: string | null; notes?: string[]; badge?: string; t: Translator }) {
  const { done, t } = props;
  return (
    <li className="flex gap-3 px-4 py-3" data-testid={props.testId} data-done={done}>
      <span
        role="img"
        aria-label={done ? t("m.home.setup.done") : t("m.home.setup.open")}
        className={`mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full text-xs ${done ? "bg-emerald-700 text-white" : "border border-neutral-500"}`}
      >
        {done ? "✓" : ""}
      </span>
      <div className="min-w-0 text-sm break-words">
        <div className="font-medium text-neutral-900">
          {props.badge ? <span className="mr-1.5 rounded bg-neutral-100 px-1.5 py-0.5 text-xs font-normal text-neutral-700">{props.badge}</span> : null}
          {props.href ? (
            <Link href={props.href} className="underline decoration-neutral-300 underline-offset-2 hover:decoration-neutral-700">
              {props.title}
            </Link>
          ) : (
            props.title
          )}
        </div>
        <p className="mt-0.5 text-neutral-600">{props.why}</p>
        {props.notes?.map((note) => (
          <p key={note} className="mt-0.5 text-xs text-neutral-600">
            {note}
          </p>
        ))}
      </div>
    </li>
  );
}

export function SetupChecklist({ setup, role, t }: { setup: ShopSetup; role: StaffRole; t: Translator }) {
  const allDone = setup.doneCount === setup.total;
  const settings = t("m.home.setup.settings");
  const notes: Partial<Record<SetupItem, string[]>> = {
    // The owner reads what to ask for (why); the setting's name is a hint for whoever deploys.
    payments: [t("m.home.setup.payments.tech", { payment: setup.paymentProvider, payout: setup.payoutProvider }), settings],
    sms: [t("m.home.setup.sms.tech", { sms: setup.smsProvider }), settings],
  };
  return (
    <section className="mb-6" data-testid="setup-checklist" data-all-done={allDone}>
      <details open={!allDone} className="rounded-lg border border-neutral-200 bg-white">
        <summary className="cursor-pointer px-4 py-3 text-sm">
          <span className="font-medium text-neutral-900">{t("m.home.setup.title")}</span>
          <span className={`ml-2 tabular-nums ${allDone ? "text-emerald-700" : "text-neutral-600"}`} data-testid="setup-progress">
            {t("m.home.setup.progress", { done: setup.doneCount, total: setup.total })}
          </span>
        </summary>
        <ul className="divide-y divide-neutral-100 border-t border-neutral-100">
          {SETUP_ITEMS.map((item) => {
            const where = WHERE[item];
            return (
              <Row
                key={item}
                testId={`setup-${item}`}
                done={setup.done[item]}
                title={t(`m.home.setup.${item}.title` as MessageKey)}
                why={t(`m.home.setup.${item}.why` as MessageKey)}
                // A page the viewer's role cannot open is named without a link.
                href={where && canAccess(role, where.area) ? where.href : null}
                notes={notes[item]}
                t={t}
              />
            );
          })}
          <Row
            testId="setup-secondReviewer"
            done={setup.secondReviewer.done}
            badge={t("m.home.setup.suggestion")}
            title={t("m.home.setup.secondReviewer.title")}
            why={t("m.home.setup.secondReviewer.why", { amount: formatYuanGrouped(setup.secondReviewer.fromFen) })}
            href={canAccess(role, "staff") ? "/merchant/staff" : null}
            t={t}
          />
        </ul>
      </details>
    </section>
  );
}
