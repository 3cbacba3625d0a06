-- 要求全体员工启用两步验证: the owner's staff security policy, one row written at its first change (no row: off).
CREATE TABLE "StaffPolicy" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "requireTotp" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedById" INTEGER NOT NULL,

    CONSTRAINT "StaffPolicy_pkey" PRIMARY KEY ("id")
);
