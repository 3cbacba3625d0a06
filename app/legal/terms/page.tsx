import { getT } from "@/lib/i18n/server";
import { LegalPage } from "../LegalPage";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("legal.terms.title") };
}

export default function TermsPage() {
  return <LegalPage kind="terms" />;
}
