import { getT } from "@/lib/i18n/server";
import { LegalPage } from "../LegalPage";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("legal.privacy.title") };
}

export default function PrivacyPage() {
  return <LegalPage kind="privacy" />;
}
