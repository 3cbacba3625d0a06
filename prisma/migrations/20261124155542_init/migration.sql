-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('SHOPPER', 'STAFF', 'ADMIN');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REFUNDED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PAID', 'REFUNDED');

-- CreateEnum
CREATE TYPE "CommissionStatus" AS ENUM ('PENDING', 'CONFIRMED', 'SETTLED', 'VOID', 'FORFEITED');

-- CreateEnum
CREATE TYPE "RebateStatus" AS ENUM ('OPEN', 'MET', 'CONFIRMED', 'PAID', 'EXPIRED', 'VOID');

-- CreateEnum
CREATE TYPE "WithdrawalStatus" AS ENUM ('PENDING_REVIEW', 'APPROVED', 'PAYING', 'PAID', 'REJECTED', 'FAILED');

-- CreateEnum
CREATE TYPE "DueKind" AS ENUM ('ORDER_PAYMENT_TIMEOUT', 'ORDER_AUTO_DELIVER', 'ORDER_COMPLETE', 'COMMISSION_SETTLE', 'REBATE_SETTLE', 'REBATE_EXPIRE', 'TEAM_BONUS', 'TIER_REVIEW');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('OPEN', 'APPROVED', 'REJECTED');

-- CreateTable
CREATE TABLE "MallConfig" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "data" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MallConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "nickname" TEXT,
    "role" "Role" NOT NULL DEFAULT 'SHOPPER',
    "phoneHash" TEXT,
    "phoneEnc" TEXT,
    "phoneMasked" TEXT,
    "referralCode" TEXT NOT NULL,
    "sponsorId" INTEGER,
    "signupIp" TEXT,
    "signupDevice" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "tier" TEXT NOT NULL DEFAULT 'member',
    "frozen" BOOLEAN NOT NULL DEFAULT false,
    "rejectionCount" INTEGER NOT NULL DEFAULT 0,
    "qualifiedDirects" INTEGER NOT NULL DEFAULT 0,
    "teamSize" INTEGER NOT NULL DEFAULT 0,
    "paidUnrefundedCount" INTEGER NOT NULL DEFAULT 0,
    "firstPaidOrderId" INTEGER,
    "realNameEnc" TEXT,
    "realNameMasked" TEXT,
    "idNumberEnc" TEXT,
    "idNumberMasked" TEXT,
    "verifiedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SponsorClosure" (
    "ancestorId" INTEGER NOT NULL,
    "descendantId" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,

    CONSTRAINT "SponsorClosure_pkey" PRIMARY KEY ("ancestorId","descendantId")
);

-- CreateTable
CREATE TABLE "DownlineLevelCount" (
    "memberId" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DownlineLevelCount_pkey" PRIMARY KEY ("memberId","depth")
);

-- CreateTable
CREATE TABLE "MatrixSeat" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER,
    "parentId" INTEGER,
    "level" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "childCount" INTEGER NOT NULL DEFAULT 0,
    "minVacantDepth" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "MatrixSeat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatrixLevelCount" (
    "seatId" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MatrixLevelCount_pkey" PRIMARY KEY ("seatId","depth")
);

-- CreateTable
CREATE TABLE "ReferralVisit" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "visitorId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReferralVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("slug")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" SERIAL NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priceFen" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "stock" INTEGER NOT NULL,
    "imageUrl" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "orderNo" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING_PAYMENT',
    "goodsFen" INTEGER NOT NULL,
    "shippingFen" INTEGER NOT NULL DEFAULT 0,
    "creditUsedFen" INTEGER NOT NULL DEFAULT 0,
    "payableFen" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "address" TEXT,
    "addressHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "paidAt" TIMESTAMPTZ(3),
    "shippedAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "refundedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "qty" INTEGER NOT NULL,
    "unitPriceFen" INTEGER NOT NULL,
    "discountFen" INTEGER NOT NULL DEFAULT 0,
    "goodsFen" INTEGER NOT NULL,
    "category" TEXT NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "providerTxnId" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'PAID',
    "paidAt" TIMESTAMPTZ(3) NOT NULL,
    "refundNo" TEXT,
    "refundedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commission" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "beneficiaryId" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" "CommissionStatus" NOT NULL,
    "forfeitReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3),
    "settledAt" TIMESTAMPTZ(3),
    "voidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Commission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RebateTask" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "anchorOrderId" INTEGER NOT NULL,
    "status" "RebateStatus" NOT NULL DEFAULT 'OPEN',
    "n" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "capFen" INTEGER,
    "payout" TEXT NOT NULL,
    "cashbackFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "metAt" TIMESTAMPTZ(3),
    "confirmedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,

    CONSTRAINT "RebateTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RebateAssignment" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "inviteeId" INTEGER NOT NULL,
    "orderId" INTEGER NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL,
    "removedAt" TIMESTAMPTZ(3),
    "removedWhy" TEXT,

    CONSTRAINT "RebateAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamBonus" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "baseFen" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeamBonus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GmvCredit" (
    "memberId" INTEGER NOT NULL,
    "orderId" INTEGER NOT NULL,
    "depth" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "completedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GmvCredit_pkey" PRIMARY KEY ("memberId","orderId")
);

-- CreateTable
CREATE TABLE "Wallet" (
    "memberId" INTEGER NOT NULL,
    "pending" INTEGER NOT NULL DEFAULT 0,
    "available" INTEGER NOT NULL DEFAULT 0,
    "withdrawing" INTEGER NOT NULL DEFAULT 0,
    "withdrawn" INTEGER NOT NULL DEFAULT 0,
    "credit" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Wallet_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "LedgerTxn" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "memo" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LedgerTxn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" SERIAL NOT NULL,
    "txnId" INTEGER NOT NULL,
    "account" TEXT NOT NULL,
    "memberId" INTEGER,
    "bucket" TEXT,
    "amountFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Withdrawal" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" "WithdrawalStatus" NOT NULL,
    "approvalsNeeded" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "payoutNo" TEXT,
    "failReason" TEXT,

    CONSTRAINT "Withdrawal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WithdrawalApproval" (
    "id" SERIAL NOT NULL,
    "withdrawalId" INTEGER NOT NULL,
    "staffId" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WithdrawalApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DueTransition" (
    "id" SERIAL NOT NULL,
    "kind" "DueKind" NOT NULL,
    "refId" INTEGER NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "doneAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DueTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskEvent" (
    "id" SERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "memberIds" INTEGER[],
    "evidence" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RiskEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RiskFlag" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "eventId" INTEGER NOT NULL,
    "status" "FlagStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "decidedBy" INTEGER,

    CONSTRAINT "RiskFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "data" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SmsMessage" (
    "id" SERIAL NOT NULL,
    "phoneHash" TEXT NOT NULL,
    "phoneMasked" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SmsMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OtpCode" (
    "id" SERIAL NOT NULL,
    "phoneHash" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "ip" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OtpCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CartItem" (
    "memberId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "qty" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CartItem_pkey" PRIMARY KEY ("memberId","productId")
);

-- CreateTable
CREATE TABLE "Address" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_username_key" ON "Member"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Member_phoneHash_key" ON "Member"("phoneHash");

-- CreateIndex
CREATE UNIQUE INDEX "Member_referralCode_key" ON "Member"("referralCode");

-- CreateIndex
CREATE UNIQUE INDEX "Member_firstPaidOrderId_key" ON "Member"("firstPaidOrderId");

-- CreateIndex
CREATE INDEX "Member_sponsorId_idx" ON "Member"("sponsorId");

-- CreateIndex
CREATE INDEX "Member_signupIp_createdAt_idx" ON "Member"("signupIp", "createdAt");

-- CreateIndex
CREATE INDEX "SponsorClosure_descendantId_depth_idx" ON "SponsorClosure"("descendantId", "depth");

-- CreateIndex
CREATE UNIQUE INDEX "MatrixSeat_memberId_key" ON "MatrixSeat"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "MatrixSeat_parentId_position_key" ON "MatrixSeat"("parentId", "position");

-- CreateIndex
CREATE INDEX "ReferralVisit_memberId_createdAt_idx" ON "ReferralVisit"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Product_sku_key" ON "Product"("sku");

-- CreateIndex
CREATE UNIQUE INDEX "Order_orderNo_key" ON "Order"("orderNo");

-- CreateIndex
CREATE INDEX "Order_memberId_createdAt_idx" ON "Order"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "Order_addressHash_idx" ON "Order"("addressHash");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_refundNo_key" ON "Payment"("refundNo");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_provider_providerTxnId_key" ON "Payment"("provider", "providerTxnId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_orderId_key" ON "Payment"("orderId");

-- CreateIndex
CREATE INDEX "Commission_beneficiaryId_createdAt_idx" ON "Commission"("beneficiaryId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Commission_orderId_level_key" ON "Commission"("orderId", "level");

-- CreateIndex
CREATE UNIQUE INDEX "RebateTask_anchorOrderId_key" ON "RebateTask"("anchorOrderId");

-- CreateIndex
CREATE INDEX "RebateTask_memberId_status_createdAt_idx" ON "RebateTask"("memberId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RebateAssignment_inviteeId_key" ON "RebateAssignment"("inviteeId");

-- CreateIndex
CREATE UNIQUE INDEX "RebateAssignment_orderId_key" ON "RebateAssignment"("orderId");

-- CreateIndex
CREATE INDEX "RebateAssignment_taskId_idx" ON "RebateAssignment"("taskId");

-- CreateIndex
CREATE UNIQUE INDEX "TeamBonus_memberId_month_key" ON "TeamBonus"("memberId", "month");

-- CreateIndex
CREATE INDEX "GmvCredit_memberId_completedAt_idx" ON "GmvCredit"("memberId", "completedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTxn_key_key" ON "LedgerTxn"("key");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_createdAt_idx" ON "LedgerEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_account_idx" ON "LedgerEntry"("account");

-- CreateIndex
CREATE UNIQUE INDEX "Withdrawal_payoutNo_key" ON "Withdrawal"("payoutNo");

-- CreateIndex
CREATE INDEX "Withdrawal_memberId_createdAt_idx" ON "Withdrawal"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WithdrawalApproval_withdrawalId_staffId_key" ON "WithdrawalApproval"("withdrawalId", "staffId");

-- CreateIndex
CREATE INDEX "DueTransition_doneAt_dueAt_idx" ON "DueTransition"("doneAt", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "DueTransition_kind_refId_dueAt_key" ON "DueTransition"("kind", "refId", "dueAt");

-- CreateIndex
CREATE INDEX "RiskEvent_rule_createdAt_idx" ON "RiskEvent"("rule", "createdAt");

-- CreateIndex
CREATE INDEX "RiskFlag_memberId_status_idx" ON "RiskFlag"("memberId", "status");

-- CreateIndex
CREATE INDEX "AuditLog_target_idx" ON "AuditLog"("target");

-- CreateIndex
CREATE INDEX "Notification_memberId_createdAt_idx" ON "Notification"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "OtpCode_phoneHash_createdAt_idx" ON "OtpCode"("phoneHash", "createdAt");

-- CreateIndex
CREATE INDEX "OtpCode_ip_createdAt_idx" ON "OtpCode"("ip", "createdAt");

-- CreateIndex
CREATE INDEX "Address_memberId_idx" ON "Address"("memberId");

-- CreateIndex
CREATE INDEX "OutboxEvent_sentAt_idx" ON "OutboxEvent"("sentAt");

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_sponsorId_fkey" FOREIGN KEY ("sponsorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorClosure" ADD CONSTRAINT "SponsorClosure_ancestorId_fkey" FOREIGN KEY ("ancestorId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SponsorClosure" ADD CONSTRAINT "SponsorClosure_descendantId_fkey" FOREIGN KEY ("descendantId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DownlineLevelCount" ADD CONSTRAINT "DownlineLevelCount_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatrixSeat" ADD CONSTRAINT "MatrixSeat_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MatrixSeat" ADD CONSTRAINT "MatrixSeat_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "MatrixSeat"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_category_fkey" FOREIGN KEY ("category") REFERENCES "Category"("slug") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RebateTask" ADD CONSTRAINT "RebateTask_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RebateAssignment" ADD CONSTRAINT "RebateAssignment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "RebateTask"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Wallet" ADD CONSTRAINT "Wallet_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_txnId_fkey" FOREIGN KEY ("txnId") REFERENCES "LedgerTxn"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WithdrawalApproval" ADD CONSTRAINT "WithdrawalApproval_withdrawalId_fkey" FOREIGN KEY ("withdrawalId") REFERENCES "Withdrawal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RiskFlag" ADD CONSTRAINT "RiskFlag_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "RiskEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
