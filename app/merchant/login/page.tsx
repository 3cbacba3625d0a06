import { redirect } from "next/navigation";
import { getT } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/lib/i18n/LanguageSwitch";
import { currentStaff } from "../_components/staff";
import { StaffLoginForm } from "./StaffLoginForm";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("m.login.title") };
}

export default async function StaffLoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const staff = await currentStaff();
  if (staff) redirect(staff.ready ? "/merchant" : "/merchant/account");
  const t = await getT();
  const { next } = await searchParams;
  return (
    <main className="flex min-h-dvh items-center justify-center bg-neutral-100 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-start justify-between gap-2">
          <div>
            <h1 className="text-xl font-semibold">{t("m.login.title")}</h1>
            <p className="mt-1 text-xs text-neutral-500">{t("m.login.subtitle")}</p>
          </div>
          <LanguageSwitch />
        </div>
        <StaffLoginForm next={next ?? "/merchant"} />
      </div>
    </main>
  );
}
