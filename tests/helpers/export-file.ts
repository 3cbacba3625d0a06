// A finished export's whole file, read through the download's own stream (Response.text() would drop the BOM).
import type { Db } from "../../server/db";
import type { ObjectStorage } from "../../server/storage";
import type { StaffRole } from "../../server/staff/roles";
import { openExportFile } from "../../server/exports/jobs";

export async function exportFileText(db: Db, storage: ObjectStorage, staff: { staffId: number; role: StaffRole }, id: number): Promise<string> {
  const file = await openExportFile(db, storage, staff, id);
  return Buffer.from(await new Response(file.body).arrayBuffer()).toString("utf8");
}
