-- The monthly bonuses' late-completion corrections (server/bonus/late-completions.ts) look for orders whose automatic
-- delivery or completion ever failed: only those rows, so the index stays small and a scan of every transition is avoided.
CREATE INDEX "DueTransition_failed_order_idx" ON "DueTransition" ("refId")
  WHERE "lastError" IS NOT NULL AND kind = ANY(ARRAY['ORDER_AUTO_DELIVER', 'ORDER_COMPLETE']::"DueKind"[]);
