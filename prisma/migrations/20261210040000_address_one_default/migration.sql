-- At most one default address per member. Two changes at once could leave two defaults before the member's row was
-- locked: keep the newest of them.
UPDATE "Address" a SET "isDefault" = false
WHERE a."isDefault" AND EXISTS (
  SELECT 1 FROM "Address" b
  WHERE b."memberId" = a."memberId" AND b."isDefault" AND (b."createdAt", b.id) > (a."createdAt", a.id)
);

CREATE UNIQUE INDEX "Address_one_default" ON "Address"("memberId") WHERE "isDefault";
