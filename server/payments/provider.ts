// Payment provider interface. WeChat Pay / Alipay adapters implement it; the built-in sandbox
// provider behaves like them (cashier page, signed asynchronous callbacks that may repeat or arrive
// late, refunds, payouts) so the rest of the app never knows which one it talks to.

export interface CreatePaymentRequest {
  reference: string;
  amountFen: number;
  currency: "CNY";
  description: string;
  notifyUrl: string;
  returnUrl: string;
}

export interface PaymentNotification {
  reference: string;
  providerTxnId: string;
  amountFen: number;
  currency: string;
  status: "SUCCESS" | "CLOSED";
}

export interface PayoutRequest {
  payoutNo: string;
  amountFen: number;
  realName: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Starts a payment; returns where to send the shopper (cashier page / app deep link). */
  createPayment(req: CreatePaymentRequest): Promise<{ cashierUrl: string }>;
  /** Verifies a callback's signature and freshness (receivedAt: real time) and parses it; throws on a bad signature, age or body. */
  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date): PaymentNotification;
  /** Full refund to the original payment path. Idempotent per refundNo. */
  refund(req: { refundNo: string; providerTxnId: string; amountFen: number }): Promise<{ status: "SUCCESS" | "PROCESSING" }>;
  /** Pays a member out (withdrawal). Idempotent per payoutNo. */
  payout(req: PayoutRequest): Promise<{ status: "SUCCESS" | "FAILED"; reason?: string }>;
}
