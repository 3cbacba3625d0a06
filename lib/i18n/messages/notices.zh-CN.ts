// In-app notifications by key (lib/i18n/notices.ts renders them; server notify call sites name the key), spread into
// zh-CN.ts. Each must read exactly as the Chinese text its call site stores: WeChat and old clients show that text.
export const noticesZhCN = {
  "notice.order.paid.title": "支付成功",
  "notice.order.paid.body": "订单 {orderNo} 已支付",
  "notice.order.shipped.title": "订单已发货",
  "notice.order.shipped.body": "订单 {orderNo} 已发货",
  "notice.order.refunded.title": "退款成功",
  "notice.order.refunded.body": "订单 {orderNo} 已退款",
  "notice.order.refundStarted.title": "退款已受理",
  "notice.order.refundStarted.body": "订单 {orderNo} 的退款已受理，款项将原路退回",
  "notice.order.refundFailed.title": "退款遇到问题",
  "notice.order.refundFailed.body": "订单 {orderNo} 的退款遇到问题，商家会尽快为您处理",
  "notice.order.refundDone.title": "退款已到账",
  "notice.order.refundDone.body": "订单 {orderNo} 的退款已原路退回到您的支付账户",
  "notice.order.refundUnconfirmed.title": "退款尚未确认到账",
  "notice.order.refundUnconfirmed.body": "订单 {orderNo} 的退款已提交超过 {days} 天，支付渠道仍未确认到账，商家正在核实。如已收到退款请忽略；如未收到，请通过「我的」页的联系客服与商家联系",
  "notice.refund.requested.title": "退款申请已提交",
  "notice.refund.requested.body": "订单 {orderNo} 的退款申请已提交，商家将在 48 小时内处理，超时将自动同意",
  "notice.refund.rejected.title": "退款申请未通过",
  "notice.refund.rejected.body": "订单 {orderNo} 的退款申请未通过：{reason}",
  "notice.payment.returned.mismatch.title": "付款将原路退回",
  "notice.payment.returned.mismatch.body": "订单 {orderNo} 的支付金额与订单不符，款项将原路退回",
  "notice.payment.returned.cancelled.title": "付款将原路退回",
  "notice.payment.returned.cancelled.body": "订单 {orderNo} 已取消，本次付款将原路退回",
  "notice.payment.returned.paid.title": "付款将原路退回",
  "notice.payment.returned.paid.body": "订单 {orderNo} 已支付，本次付款将原路退回",
  "notice.payment.returned.unavailable.title": "付款将原路退回",
  "notice.payment.returned.unavailable.body": "订单 {orderNo} 当前不可支付，本次付款将原路退回",
  "notice.account.frozen.title": "账户已冻结",
  "notice.account.frozen.body": "您的账户因风控审核未通过已被冻结",
  // Staff's freeze: never its reason (an internal note for the audit log), nor any risk rule.
  "notice.account.frozenByMerchant.title": "账户已冻结",
  "notice.account.frozenByMerchant.body": "您的账户已被商家冻结，冻结期间不能提现，也不再获得新的佣金和奖励；仍可登录查看订单、确认收货和申请售后。如有疑问，请通过「我的」页的联系客服与商家联系",
  "notice.account.unfrozen.title": "账户已解冻",
  "notice.account.unfrozen.body": "您的账户已解除冻结，可以正常获得佣金和奖励、提现。如有疑问，请通过「我的」页的联系客服与商家联系",
  "notice.commission.pending.title": "佣金待结算",
  "notice.commission.pending.body": "{levelWord}好友下单，佣金 {amount} 已计入待结算，订单完成后结算到账",
  // The buyer under risk review (SPEC §8, ON_HOLD) when the commission was made: told to the level-1 earner only, who
  // sees it 审核中 (server/risk/flags buyerHoldShownTo); a level-2/3 earner reads commission.pending.
  "notice.commission.pendingHeld.title": "佣金审核中",
  "notice.commission.pendingHeld.body": "{levelWord}好友下单，佣金 {amount} 已计入，订单正在审核中，审核通过后照常结算",
  "notice.commission.settled.title": "佣金已结算",
  "notice.commission.settled.body": "{levelWord}好友订单 {orderNo} 的佣金 {amount} 已转入可提现余额",
  "notice.commission.settledTeam.title": "佣金已结算",
  "notice.commission.settledTeam.body": "{levelWord}好友订单的佣金 {amount} 已转入可提现余额",
  // Money lost (server/commission): by reason, never the buyer's name or order number (an L2/L3 buyer is someone else's invitee).
  "notice.commission.forfeited.frozen.title": "佣金未获得",
  "notice.commission.forfeited.frozen.body": "{levelWord}好友下单，佣金 {amount} 未获得：付款时你的账户已冻结",
  "notice.commission.forfeited.notDistributor.title": "佣金未获得",
  "notice.commission.forfeited.notDistributor.body": "{levelWord}好友下单，佣金 {amount} 未获得：付款时你还不是分销员，成为分销员后好友的订单才有佣金",
  "notice.commission.forfeited.suspended.title": "佣金未获得",
  "notice.commission.forfeited.suspended.body": "{levelWord}好友下单，佣金 {amount} 未获得：你的分销资格已被商家停用",
  "notice.commission.forfeited.locked.title": "佣金未获得",
  "notice.commission.forfeited.locked.body": "{levelWord}好友下单，佣金 {amount} 未获得：需 {n} 位有效直推才能获得第 {level} 级佣金",
  "notice.commission.voided.refunded.title": "佣金已作废",
  "notice.commission.voided.refunded.body": "{levelWord}好友的订单已退款，佣金 {amount} 已作废",
  "notice.commission.voidedMany.refunded.title": "佣金已作废",
  "notice.commission.voidedMany.refunded.body": "好友的订单已退款，{count} 笔佣金共 {amount} 已作废",
  // A buyer's risk review is their own business: the earner hears only that the order no longer pays.
  "notice.commission.voided.riskRejected.title": "佣金已作废",
  "notice.commission.voided.riskRejected.body": "{levelWord}好友的订单经商家审核不计佣金，佣金 {amount} 已作废",
  "notice.commission.voidedMany.riskRejected.title": "佣金已作废",
  "notice.commission.voidedMany.riskRejected.body": "好友的订单经商家审核不计佣金，{count} 笔佣金共 {amount} 已作废",
  // Level 2/3: the buyer is someone else's invitee, so not even that the shop reviewed them (PIPL); a refund still says refunded.
  "notice.commission.voided.team.title": "佣金已作废",
  "notice.commission.voided.team.body": "{levelWord}好友的订单不计佣金，佣金 {amount} 已作废",
  "notice.commission.voidedMany.team.title": "佣金已作废",
  "notice.commission.voidedMany.team.body": "好友的订单不计佣金，{count} 笔佣金共 {amount} 已作废",
  // The reason code "distributor suspended" (server/commission) as the promotion centre and the merchant's order page word it.
  "commission.reason.suspended": "分销资格已被商家停用",
  "mo.note.distributor suspended": "分销资格已停用",
  // {levelWord} of a commission: the buyer's level below the earner.
  "notice.level.1": "直推",
  "notice.level.2": "间推",
  "notice.level.3": "再推",
  "notice.level.n": "{n} 级",
  "notice.wallet.credited.title": "账户调整",
  "notice.wallet.credited.body": "您的{bucket}余额增加 {amount}。原因：{reason}",
  "notice.wallet.debited.title": "账户调整",
  "notice.wallet.debited.body": "您的{bucket}余额扣减 {amount}。原因：{reason}",
  "notice.withdrawal.paid.title": "提现到账",
  "notice.withdrawal.paid.body": "提现单 {payoutNo} 已到账",
  "notice.withdrawal.failed.title": "提现失败",
  // Any other reason (server/wallet/payout-reason.ts `other`: the merchant's balance or permissions, the provider's risk
  // control, an unknown code): why in words true of them all, never the provider's text. No {payoutNo}: rows stored before it have no parameters.
  "notice.withdrawal.failed.body": "提现打款未成功：支付渠道未能完成这笔转账。金额已退回可提现余额，可重新申请提现；如仍未成功，请通过「我的」页的联系客服与商家联系",
  // A failed payout whose reason names the case (server/wallet/payout-reason.ts payoutFailure): why, and what to do.
  "notice.withdrawal.failed.unbound.title": "提现失败",
  "notice.withdrawal.failed.unbound.body": "提现单 {payoutNo} 打款未成功：未绑定收款账户。金额已退回可提现余额，请在钱包中绑定收款账户后重新提现",
  "notice.withdrawal.failed.identity.title": "提现失败",
  "notice.withdrawal.failed.identity.body": "提现单 {payoutNo} 打款未成功：收款账户实名与认证姓名不一致，或收款账户未实名。金额已退回可提现余额，请检查收款账户后重新提现",
  "notice.withdrawal.failed.limit.title": "提现失败",
  "notice.withdrawal.failed.limit.body": "提现单 {payoutNo} 打款未成功：超出收款账户的收款限额。金额已退回可提现余额，请次日再试或减少金额后重新提现",
  "notice.withdrawal.failed.account.title": "提现失败",
  "notice.withdrawal.failed.account.body": "提现单 {payoutNo} 打款未成功：收款账户不存在或状态异常（如已冻结）。金额已退回可提现余额，请检查收款账户后重新提现",
  "notice.withdrawal.failed.unconfirmed.title": "提现失败",
  "notice.withdrawal.failed.unconfirmed.body": "提现单 {payoutNo} 未在 24 小时内确认收款，转账已撤销。金额已退回可提现余额，请重新提现并及时在微信中确认收款",
  "notice.withdrawal.failed.lostConfirmation.title": "提现失败",
  "notice.withdrawal.failed.lostConfirmation.body": "提现单 {payoutNo} 的转账确认信息已失效。金额已退回可提现余额，请重新申请提现",
  // Rows stored before the reason was passed (params { amountFen } only): still rendered by this key.
  "notice.withdrawal.rejected.title": "提现被驳回",
  "notice.withdrawal.rejected.body": "提现 {amount} 被驳回，金额已退回可提现余额",
  // Staff's rejection (server/wallet/withdrawals.ts rejectWithdrawal): the reason they wrote for the shopper, last (it ends as they wrote it).
  "notice.withdrawal.rejectedWithReason.title": "提现被驳回",
  "notice.withdrawal.rejectedWithReason.body": "提现 {amount} 被驳回，金额已退回可提现余额。驳回原因：{reason}",
  "notice.stepBonus.paid.title": "阶梯奖励到账",
  "notice.stepBonus.paid.body": "{month} 直推销售 {sales}，按 {rate} 发放阶梯奖励 {amount}",
  // A late completion added to a month already paid: {amount} is what is added, {total} the month's bonus now.
  "notice.stepBonus.topUp.title": "阶梯奖励补发",
  "notice.stepBonus.topUp.body": "{month} 有订单延后完成，直推销售更新为 {sales}，按 {rate} 补发 {amount}，{month} 合计 {total}",
  "notice.teamBonus.paid.title": "团队绩效到账",
  "notice.teamBonus.paid.body": "{month} 团队绩效 {amount} 已到账",
  "notice.teamBonus.topUp.title": "团队绩效补发",
  "notice.teamBonus.topUp.body": "{month} 有订单延后完成，团队绩效补发 {amount}，{month} 合计 {total}",
  "notice.tier.changed.title": "会员等级变更",
  "notice.tier.changed.body": "您的等级已变为 {tier}",
  "notice.team.joined.title": "新成员加入团队",
  "notice.team.joined.body": "{name} 通过你的邀请注册，成为你的直推成员",
  // A paid order opened a task (SPEC §5): its terms as opened (deadline in the rules' time zone).
  "notice.rebate.opened.title": "推三返一已开启",
  "notice.rebate.opened.body": "订单 {orderNo} 已开启推三返一：{deadline} 前邀请 {n} 位好友首单付款，你和好友的订单都完成后，可返现 {cashback}",
  // Opened while the buyer is under risk review (SPEC §8): the task is ON_HOLD (审核中) from the start.
  "notice.rebate.openedHeld.title": "推三返一已开启",
  "notice.rebate.openedHeld.body": "订单 {orderNo} 已开启推三返一，订单正在审核中：{deadline} 前邀请 {n} 位好友首单付款，审核通过且你和好友的订单都完成后，可返现 {cashback}",
  "notice.rebate.deadline.title": "推三返一即将截止",
  "notice.rebate.deadline.body": "还差 {missing} 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 {cashback}",
  "notice.rebate.invited.title": "推三返一进度",
  "notice.rebate.invited.body": "好友首单已付款，还差 {missing} 人",
  "notice.rebate.invitedAll.title": "推三返一进度",
  "notice.rebate.invitedAll.body": "已邀满 {n} 位好友首单，待订单完成后返现",
  "notice.rebate.confirmed.title": "推三返一已确认",
  "notice.rebate.confirmed.body": "你和好友的订单都已完成，返现 {cashback} 将于次日到账",
  // An invitee no longer counts (never who): the task is open again while its deadline allows, else it has ended.
  "notice.rebate.removed.refunded.title": "推三返一进度",
  "notice.rebate.removed.refunded.body": "有好友的首单已退款，不再计入；还差 {missing} 人，截止前邀请新好友首单付款仍可返现",
  "notice.rebate.removed.rejected.title": "推三返一进度",
  "notice.rebate.removed.rejected.body": "有好友的首单经商家审核不再计入；还差 {missing} 人，截止前邀请新好友首单付款仍可返现",
  "notice.rebate.expired.refunded.title": "推三返一已失效",
  "notice.rebate.expired.refunded.body": "有好友的首单已退款，不再计入；截止时间已过，未邀满 {n} 人，返现 {cashback} 不再发放",
  "notice.rebate.expired.rejected.title": "推三返一已失效",
  "notice.rebate.expired.rejected.body": "有好友的首单经商家审核不再计入；截止时间已过，未邀满 {n} 人，返现 {cashback} 不再发放",
  "notice.rebate.expired.title": "推三返一已失效",
  "notice.rebate.expired.body": "截止前未邀满 {n} 位好友首单，返现 {cashback} 不再发放",
  "notice.rebate.voided.anchorRefunded.title": "推三返一已作废",
  "notice.rebate.voided.anchorRefunded.body": "订单 {orderNo} 已退款，返现任务作废，返现 {cashback} 不再发放",
  "notice.rebate.voided.riskRejected.title": "推三返一已作废",
  "notice.rebate.voided.riskRejected.body": "风控审核未通过，订单 {orderNo} 的返现任务作废，返现 {cashback} 不再发放",
  "notice.rebate.paid.title": "推三返一返现到账",
  "notice.rebate.paid.body": "返现 {cashback} 已到账",
  "notice.rebate.paidCredit.title": "推三返一返现到账",
  "notice.rebate.paidCredit.body": "返现 {cashback} 已到账（购物金）",
  "notice.distributor.joined.title": "您已成为分销员",
  "notice.distributor.joined.body": "推荐好友下单即可赚取佣金，快去推广中心分享吧",
  // Staff's suspension: never its reason (the merchant's note for the audit log).
  "notice.distributor.suspended.title": "分销资格已停用",
  "notice.distributor.suspended.body": "商家已停用你的分销资格：停用期间好友的订单不为你产生佣金，也不能获得阶梯奖励；推三返一和团队关系不受影响。如有疑问，请通过「我的」页的联系客服与商家联系",
  "notice.distributor.restored.title": "分销资格已恢复",
  "notice.distributor.restored.body": "商家已恢复你的分销资格，之后好友付款的订单可以为你带来佣金",
  // Given back to one the mode has not made a distributor yet: the suspension is lifted, the status still to be earned.
  "notice.distributor.unsuspended.title": "分销资格已恢复",
  "notice.distributor.unsuspended.body": "商家已恢复你的分销资格；成为分销员后，好友的订单即可为你带来佣金，条件见推广中心",
} satisfies Record<string, string>;

/**
 * The keys notify call sites name (notice.<key>.title and .body). Here, not beside the renderer: server code imports
 * it, and a type import would put the renderer in the home page's messages (scripts/i18n-client-keys.ts follows imports).
 */
export type NoticeKey = { [K in keyof typeof noticesZhCN]: K extends `notice.${infer N}.title` ? (`notice.${N}.body` extends keyof typeof noticesZhCN ? N : never) : never }[keyof typeof noticesZhCN];

/**
 * Amounts in integer fen as `<name>Fen`, rates in basis points as `<name>Bps`: formatted when read, as `{<name>}`
 * (money as "¥2,500.55", lib/i18n/notices.ts: a message writes no ¥ or 元 around it).
 */
export type NoticeParams = Record<string, string | number>;
