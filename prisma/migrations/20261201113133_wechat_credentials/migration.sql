-- CreateTable
CREATE TABLE "WechatCredential" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WechatCredential_pkey" PRIMARY KEY ("key")
);
