-- Closing a cancelled order's unpaid trade at its provider (WeChat Pay 关闭订单, alipay.trade.close), through the outbox.
ALTER TYPE "ProviderCallKind" ADD VALUE 'CLOSE';
