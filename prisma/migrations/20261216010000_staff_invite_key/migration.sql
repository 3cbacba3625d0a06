-- A resent staff invitation (its answer lost) returns the account it made, with a new initial password, instead of USERNAME_TAKEN.
-- AlterTable: null on accounts invited before the key, and on owners made by npm run staff:create
ALTER TABLE "StaffAccount" ADD COLUMN     "inviteKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_invitedById_inviteKey_key" ON "StaffAccount"("invitedById", "inviteKey");
