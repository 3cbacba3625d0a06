import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { authRouter } from "@/server/api/routers/auth";
import { cartRouter } from "@/server/api/routers/cart";
import { catalogRouter } from "@/server/api/routers/catalog";
import { memberRouter } from "@/server/api/routers/member";
import { accountRouter } from "@/server/api/routers/account";
import { notificationRouter } from "@/server/api/routers/notification";
import { promotionRouter } from "@/server/api/routers/promotion";
import { walletRouter } from "@/server/api/routers/wallet";
import { orderRouter } from "@/server/api/routers/order";
import { addressRouter } from "@/server/api/routers/address";
import { merchantOrderRouter } from "@/server/api/routers/merchantOrder";
import { merchantRiskRouter } from "@/server/api/routers/merchantRisk";
import { merchantWithdrawalRouter } from "@/server/api/routers/merchantWithdrawal";
import { merchantAfterSalesRouter } from "@/server/api/routers/merchantAfterSales";
import { merchantCatalogRouter } from "@/server/api/routers/merchantCatalog";
import { merchantHomeRouter } from "@/server/api/routers/merchantHome";
import { merchantAuditRouter } from "@/server/api/routers/merchantAudit";
import { merchantStaffRouter } from "@/server/api/routers/merchantStaff";
import { staffAccountRouter } from "@/server/api/routers/staffAccount";
import { merchantJobsRouter } from "@/server/api/routers/merchantJobs";
import { merchantReconciliationRouter } from "@/server/api/routers/merchantReconciliation";
import { merchantMemberRouter } from "@/server/api/routers/merchantMember";
import { merchantRulesRouter } from "@/server/api/routers/merchantRules";
import { merchantExperimentsRouter } from "@/server/api/routers/merchantExperiments";
import { merchantSimulatorRouter } from "@/server/api/routers/merchantSimulator";
import { merchantKpiRouter } from "@/server/api/routers/merchantKpi";
import { merchantExportsRouter } from "@/server/api/routers/merchantExports";
import { merchantAdjustmentRouter } from "@/server/api/routers/merchantAdjustment";
import { legalRouter, merchantLegalRouter } from "@/server/api/routers/legal";
import { merchantShopRouter } from "@/server/api/routers/shop";

/** The app's API. Every sub-router is registered here, by hand. */
export const appRouter = createTRPCRouter({
  auth: authRouter,
  catalog: catalogRouter,
  cart: cartRouter,
  member: memberRouter,
  account: accountRouter,
  promotion: promotionRouter,
  wallet: walletRouter,
  notification: notificationRouter,
  order: orderRouter,
  address: addressRouter,
  merchantOrder: merchantOrderRouter,
  merchantRisk: merchantRiskRouter,
  merchantWithdrawal: merchantWithdrawalRouter,
  merchantAfterSales: merchantAfterSalesRouter,
  merchantCatalog: merchantCatalogRouter,
  merchantHome: merchantHomeRouter,
  merchantAudit: merchantAuditRouter,
  merchantStaff: merchantStaffRouter,
  staffAccount: staffAccountRouter,
  merchantJobs: merchantJobsRouter,
  merchantReconciliation: merchantReconciliationRouter,
  merchantMember: merchantMemberRouter,
  merchantRules: merchantRulesRouter,
  merchantExperiments: merchantExperimentsRouter,
  merchantSimulator: merchantSimulatorRouter,
  merchantKpi: merchantKpiRouter,
  merchantExports: merchantExportsRouter,
  merchantAdjustment: merchantAdjustmentRouter,
  legal: legalRouter,
  merchantLegal: merchantLegalRouter,
  merchantShop: merchantShopRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller: `const api = createCaller(ctx); await api.catalog.home()`. */
export const createCaller = createCallerFactory(appRouter);
