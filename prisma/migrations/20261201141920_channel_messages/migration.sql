-- CreateEnum
CREATE TYPE "ChannelMessageStatus" AS ENUM ('PENDING', 'SENT', 'SKIPPED', 'DEAD');

-- CreateTable
CREATE TABLE "ChannelMessage" (
    "id" SERIAL NOT NULL,
    "notificationId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "ChannelMessageStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "ChannelMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelMessage_status_nextAttemptAt_idx" ON "ChannelMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelMessage_notificationId_channel_key" ON "ChannelMessage"("notificationId", "channel");
