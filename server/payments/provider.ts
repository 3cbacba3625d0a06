import type { BillLine } from "./bills";
import type { Tx } from "../db";

// Payment provider interface. WeChat Pay / Alipay adapters implement it; the built-in sandbox
// provider behaves like them (cashier page, signed asynchronous callbacks that may repeat or arrive
// late, refunds, payouts) so the rest of the app never knows which one it talks to.

/** Who pays and from where: WeChat JSAPI needs the openid, H5 the client IP. */
export interface Payer {
  /** "jsapi": inside the WeChat browser; "h5": a mobile browser elsewhere. */
  channel: "jsapi" | "h5";
  openid?: string;
  clientIp?: string;
}

export interface CreatePaymentRequest {
  reference: string;
  amountFen: number;
  currency: "CNY";
  description: string;
  notifyUrl: string;
  returnUrl: string;
  payer?: Payer;
  /** The order's payment deadline: the provider closes the trade then, so nobody pays an order we cancelled. */
  expiresAt: Date;
}

export interface CreatedPayment {
  /** Where to send the shopper: our cashier page, the provider's H5 page, or the Alipay gateway. */
  cashierUrl: string;
  /** Parameters our cashier page hands to the provider's in-app sheet (WeChat JSAPI). */
  cashierParams?: Record<string, string>;
}

export interface PaymentNotification {
  kind?: "payment";
  reference: string;
  providerTxnId: string;
  amountFen: number;
  currency: string;
  status: "SUCCESS" | "CLOSED";
  /** When the shopper paid by the provider's clock (the day its bill lists the payment), when it says. */
  paidAt?: Date;
}

/** The provider's word on a refund we asked for (WeChat REFUND.* events, Alipay refund notices). */
export interface RefundNotification {
  kind: "refund";
  refundNo: string;
  providerTxnId: string;
  refundFen: number;
  /** The refunded payment's total, when the provider says (WeChat): ours are full refunds, so it equals refundFen. */
  totalFen?: number;
  status: "SUCCESS" | "CLOSED" | "ABNORMAL";
  /** When the refund succeeded by the provider's clock (the day its bill lists the refund), when it says. */
  refundedAt?: Date;
}

/**
 * The provider says a payout ended (WeChat MCHTRANSFER.BILL.FINISHED): a cue to ask it about the payout now, never
 * taken as the outcome itself.
 */
export interface PayoutNotification {
  kind: "payout";
  payoutNo: string;
}

/** A verified callback of a kind we do not handle: acknowledged so the provider stops resending it, nothing changes. */
export interface IgnoredNotification {
  kind: "ignored";
  reason: string;
}

/** A refund the provider accepted; refundedAt when it says the money already went back (its bill's time). */
export type RefundResult = { status: "SUCCESS" | "PROCESSING"; refundedAt?: Date };

export interface PayoutRequest {
  payoutNo: string;
  amountFen: number;
  realName: string;
  /** The member's account at the provider's platform (WeChat openid, Alipay user id); null when unbound. */
  payeeAccount: string | null;
  /** We hold the payee's 确认收款 package from an earlier answer (a WeChat query never repeats it). */
  hasConfirmation?: boolean;
}

/** What the shopper's WeChat needs to confirm receipt of a 商家转账 (wx.requestMerchantTransfer). */
export interface PayeeConfirmation {
  mchId: string;
  appId: string;
  /** WeChat's package_info: only in the answer that created the transfer, never in a query's. */
  package?: string;
}

/**
 * PROCESSING with `confirm`: the money waits for the payee to accept it in WeChat (商家转账 WAIT_USER_CONFIRM); with
 * `cancelling`: a cancel of it is under way (CANCELING). FAILED with `cancelled`: the payout was withdrawn before it
 * reached the payee (CANCELLED, by our 撤销转账 or by the provider), not failed at the payee's account — `reason` is
 * then the provider's wording of the cancel, not a failure of the transfer.
 */
export type PayoutResult = { status: "SUCCESS" | "FAILED" | "PROCESSING"; reason?: string; confirm?: PayeeConfirmation; cancelling?: true; cancelled?: true };

export interface PaymentProvider {
  readonly name: string;
  /** The body answering a verified callback (WeChat: any 2xx; Alipay: exactly "success"). */
  readonly notifyAck?: string;
  /** Platform whose account a payout goes to (ExternalAccount.platform + appId); none for the sandbox. */
  readonly payeePlatform?: { platform: string; appId: string };
  /** Starts a payment; returns where to send the shopper (cashier page / app deep link). */
  createPayment(req: CreatePaymentRequest): Promise<CreatedPayment>;
  /** Verifies a callback's signature and freshness (receivedAt: real time) and parses it; throws on a bad signature, age or body. */
  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date): PaymentNotification | RefundNotification | PayoutNotification | IgnoredNotification;
  /** Asks the provider about a payment whose callback has not come (null: not paid yet). */
  queryPayment?(reference: string): Promise<PaymentNotification | null>;
  /** Asks the provider about a refund it accepted but has not confirmed (null: still processing, or unknown to it). */
  queryRefund?(req: { refundNo: string; providerTxnId: string }): Promise<RefundNotification | null>;
  /**
   * Closes a trade nobody may pay any longer (its order was cancelled): "closed" also when it is already closed or was
   * never opened at the provider; "paid" when the shopper paid first, which its callback (or our query) then settles.
   * `tx`: the caller's transaction, where the sandbox keeps its side of the trade.
   */
  closePayment?(reference: string, tx: Tx): Promise<"closed" | "paid">;
  /** Full refund to the original payment path. Idempotent per refundNo. */
  refund(req: { refundNo: string; providerTxnId: string; amountFen: number; notifyUrl?: string }): Promise<RefundResult>;
  /** Pays a member out (withdrawal). Idempotent per payoutNo; PROCESSING is asked again later. */
  payout(req: PayoutRequest): Promise<PayoutResult>;
  /**
   * Withdraws a payout still waiting for the payee to confirm it: FAILED with `reason` once withdrawn; refused (the
   * payee confirmed first), the payout's state as it then stands.
   */
  cancelPayout?(req: { payoutNo: string; reason: string }): Promise<PayoutResult>;
  /** The day's bill (merchant calendar day "YYYY-MM-DD"): successful payments and refunds. */
  downloadBill?(billDate: string): Promise<BillLine[]>;
}
