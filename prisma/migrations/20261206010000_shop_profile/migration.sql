-- CreateTable
CREATE TABLE "ShopProfile" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT NOT NULL DEFAULT '裂变商城',
    "nameEn" TEXT,
    "operatorName" TEXT,
    "servicePhone" TEXT,
    "serviceWechat" TEXT,
    "email" TEXT,
    "serviceHours" TEXT,
    "address" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedById" INTEGER NOT NULL,

    CONSTRAINT "ShopProfile_pkey" PRIMARY KEY ("id")
);

-- One shop, one profile (Prisma cannot express a CHECK; its diff ignores them).
ALTER TABLE "ShopProfile" ADD CONSTRAINT "ShopProfile_singleton" CHECK ("id" = 'default');
