-- One verified account per ID number (SPEC §6, 一个身份证只能认证一个账号): the lookup hash of the normalised number,
-- unique among members; null while unverified and after deletion. Members verified before this are given theirs
-- once at start-up from the encrypted number (server/wallet/id-number-backfill.ts: the key lives in the app).

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "idNumberHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Member_idNumberHash_key" ON "Member"("idNumberHash");
