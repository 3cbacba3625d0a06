// In-app notifications by key (lib/i18n/notices.ts renders them; server notify call sites name the key), spread into
// zh-CN.ts. Each must read exactly as the Chinese text its call site stores: WeChat and old clients show that text.
export const noticesZhCN = {
  "notice.order.paid.title": "支付成功",
  "notice.order.paid.body": "订单 {orderNo} 已支付",
  "notice.order.shipped.title": "订单已发货",
  "notice.order.shipped.body": "订单 {orderNo} 已发货",
  "notice.order.refunded.title": "退款成功",
  "notice.order.refunded.body": "订单 {orderNo} 已退款",
  "notice.refund.requested.title": "退款申请已提交",
  "notice.refund.requested.body": "订单 {orderNo} 的退款申请已提交，商家将在 48 小时内处理，超时将自动同意",
  "notice.refund.rejected.title": "退款申请未通过",
  "notice.refund.rejected.body": "订单 {orderNo} 的退款申请未通过：{reason}",
  "notice.payment.returned.mismatch.title": "支付已退回",
  "notice.payment.returned.mismatch.body": "订单 {orderNo} 的支付金额与订单不符，款项已原路退回",
  "notice.payment.returned.cancelled.title": "支付已退回",
  "notice.payment.returned.cancelled.body": "订单 {orderNo} 已取消，本次付款已原路退回",
  "notice.payment.returned.paid.title": "支付已退回",
  "notice.payment.returned.paid.body": "订单 {orderNo} 已支付，本次付款已原路退回",
  "notice.payment.returned.unavailable.title": "支付已退回",
  "notice.payment.returned.unavailable.body": "订单 {orderNo} 当前不可支付，本次付款已原路退回",
  "notice.account.frozen.title": "账户已冻结",
  "notice.account.frozen.body": "您的账户因风控审核未通过已被冻结",
  "notice.commission.pending.title": "佣金待结算",
  "notice.commission.pending.body": "{levelWord}好友下单，佣金 ¥{amount} 已计入待结算，订单完成后结算到账",
  "notice.commission.settled.title": "佣金已结算",
  "notice.commission.settled.body": "订单 {orderNo} 的 {level} 级佣金 ¥{amount} 已转入可提现余额",
  // {levelWord} of a commission: the buyer's level below the earner.
  "notice.level.1": "直推",
  "notice.level.2": "间推",
  "notice.level.3": "再推",
  "notice.level.n": "{n} 级",
  "notice.wallet.credited.title": "账户调整",
  "notice.wallet.credited.body": "您的{bucket}余额增加 {amount} 元。原因：{reason}",
  "notice.wallet.debited.title": "账户调整",
  "notice.wallet.debited.body": "您的{bucket}余额扣减 {amount} 元。原因：{reason}",
  "notice.withdrawal.paid.title": "提现到账",
  "notice.withdrawal.paid.body": "提现单 {payoutNo} 已到账",
  "notice.withdrawal.failed.title": "提现失败",
  "notice.withdrawal.failed.body": "提现失败，金额已退回可提现余额",
  "notice.withdrawal.rejected.title": "提现被驳回",
  "notice.withdrawal.rejected.body": "提现 {amount} 元被驳回，金额已退回可提现余额",
  "notice.stepBonus.paid.title": "阶梯奖励到账",
  "notice.stepBonus.paid.body": "{month} 直推销售 ¥{sales}，按 {rate} 发放阶梯奖励 ¥{amount}",
  "notice.teamBonus.paid.title": "团队绩效到账",
  "notice.teamBonus.paid.body": "{month} 团队绩效已到账",
  "notice.tier.changed.title": "会员等级变更",
  "notice.tier.changed.body": "您的等级已变为 {tier}",
  "notice.team.joined.title": "新成员加入团队",
  "notice.team.joined.body": "{name} 通过你的邀请注册，成为你的直推成员",
  "notice.rebate.deadline.title": "推三返一即将截止",
  "notice.rebate.deadline.body": "还差 {missing} 人，24 小时内截止；邀请好友完成首单即可返现 ¥{cashback}",
  "notice.rebate.invited.title": "推三返一进度",
  "notice.rebate.invited.body": "好友完成首单，还差 {missing} 人",
  "notice.rebate.invitedAll.title": "推三返一进度",
  "notice.rebate.invitedAll.body": "已邀满 {n} 位好友首单，待订单完成后返现",
  "notice.rebate.paid.title": "推三返一返现到账",
  "notice.rebate.paid.body": "返现 ¥{cashback} 已到账",
  "notice.rebate.paidCredit.title": "推三返一返现到账",
  "notice.rebate.paidCredit.body": "返现 ¥{cashback} 已到账（购物金）",
  "notice.distributor.joined.title": "您已成为分销员",
  "notice.distributor.joined.body": "推荐好友下单即可赚取佣金，快去推广中心分享吧",
} satisfies Record<string, string>;

/**
 * The keys notify call sites name (notice.<key>.title and .body). Here, not beside the renderer: server code imports
 * it, and a type import would put the renderer in the home page's messages (scripts/i18n-client-keys.ts follows imports).
 */
export type NoticeKey = { [K in keyof typeof noticesZhCN]: K extends `notice.${infer N}.title` ? (`notice.${N}.body` extends keyof typeof noticesZhCN ? N : never) : never }[keyof typeof noticesZhCN];

/** Amounts in integer fen as `<name>Fen`, rates in basis points as `<name>Bps`: formatted when read, as `{<name>}`. */
export type NoticeParams = Record<string, string | number>;
