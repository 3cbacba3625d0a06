-- CreateTable
CREATE TABLE "ShopperUpload" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "thumbUrl" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ShopperUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ShopperUpload_memberId_createdAt_idx" ON "ShopperUpload"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopperUpload_memberId_url_key" ON "ShopperUpload"("memberId", "url");
