-- A staff account that approved a withdrawal may still reject it (e.g. the member was frozen after the
-- approval): only approvals are unique per staff account, so one account never counts twice (SPEC §6).
DROP INDEX "WithdrawalApproval_withdrawalId_staffId_key";
CREATE UNIQUE INDEX "WithdrawalApproval_one_approve_per_staff" ON "WithdrawalApproval" ("withdrawalId", "staffId") WHERE "decision" = 'approve';
ALTER TABLE "WithdrawalApproval" ADD CONSTRAINT "WithdrawalApproval_decision_check" CHECK ("decision" IN ('approve', 'reject'));
