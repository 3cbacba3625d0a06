// The back office's 403 (staffGate calls forbidden() for a role without access to the page): the status is 403,
// the page the same as before, naming the staff member's role. A server component only (sent with every route under /merchant).
import { redirect } from "next/navigation";
import { currentStaff, Forbidden } from "./_components/staff";

export default async function MerchantForbidden() {
  const staff = await currentStaff();
  if (!staff) redirect("/merchant/login");
  return <Forbidden role={staff.role} />;
}
