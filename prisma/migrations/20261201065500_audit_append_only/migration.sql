-- Audit log is append-only (issue 9). Written by hand: the schema engine ignores triggers when it diffs.

-- Entries written before staff accounts existed named a member (or nobody) as the actor.
UPDATE "AuditLog" SET "actorType" = 'member' WHERE "actorId" IS NOT NULL;

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Usernames are stored lower-case (sign-in is case-insensitive); attempts never go negative.
ALTER TABLE "StaffAccount" ADD CONSTRAINT "StaffAccount_username_lowercase" CHECK ("username" = lower("username"));
ALTER TABLE "StaffAccount" ADD CONSTRAINT "StaffAccount_failed_nonnegative" CHECK ("failedAttempts" >= 0);
