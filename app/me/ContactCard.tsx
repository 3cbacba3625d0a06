import type { Translator } from "@/lib/i18n/core";
import type { ShopContact } from "@/server/shop/profile";
import { CopyButton } from "@/app/promote/CopyButton";

/** 联系客服 on 我的: the 店铺资料's phone (tap to call), WeChat ID (to copy into WeChat's search) and e-mail, with the service hours. */
export function ContactCard({ contact, t }: { contact: ShopContact; t: Translator }) {
  const row = "flex min-h-11 items-center justify-between gap-3 py-1";
  return (
    <section className="mx-3 mt-3 rounded-2xl bg-white px-4 py-3 text-sm" aria-labelledby="shop-contact-title" data-testid="shop-contact">
      <h2 id="shop-contact-title" className="py-1 text-sm font-semibold">
        {t("me.contact.title")}
      </h2>
      <dl className="divide-y divide-neutral-100">
        {contact.servicePhone && contact.phoneHref ? (
          <div className={row}>
            <dt className="text-neutral-600">{t("me.contact.phone")}</dt>
            <dd>
              <a href={contact.phoneHref} className="inline-block py-2 font-medium tabular-nums text-rose-700" data-testid="shop-contact-phone">
                {contact.servicePhone}
              </a>
            </dd>
          </div>
        ) : null}
        {contact.serviceWechat ? (
          <div className={row}>
            <dt className="text-neutral-600">{t("me.contact.wechat")}</dt>
            <dd className="flex items-center gap-2">
              <span className="select-all font-mono" data-testid="shop-contact-wechat">
                {contact.serviceWechat}
              </span>
              <CopyButton text={contact.serviceWechat} label={t("me.contact.copy")} className="relative rounded-full border border-neutral-200 px-2 py-0.5 text-xs text-neutral-700 after:absolute after:-inset-x-1 after:-inset-y-3" />
            </dd>
          </div>
        ) : null}
        {contact.email ? (
          <div className={row}>
            <dt className="text-neutral-600">{t("me.contact.email")}</dt>
            <dd className="min-w-0 break-all text-right">
              <a href={`mailto:${contact.email}`} className="inline-block py-2 text-rose-700">
                {contact.email}
              </a>
            </dd>
          </div>
        ) : null}
        {contact.serviceHours ? (
          <div className={row}>
            <dt className="shrink-0 text-neutral-600">{t("me.contact.hours")}</dt>
            <dd className="text-right text-neutral-800">{contact.serviceHours}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
