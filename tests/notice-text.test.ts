// The Chinese text every notification is stored with (what WeChat messages show), rendered from its key and
// parameters by the zh-CN catalogue (server/notifications/text.ts): each key's wording, written out here by hand.
import { describe, expect, it } from "vitest";
import { storedNoticeText } from "../server/notifications/text";
import { noticesZhCN, type NoticeKey, type NoticeParams } from "../lib/i18n/messages/notices.zh-CN";

const cases: [NoticeKey, NoticeParams | undefined, string, string][] = [
  ["order.paid", { orderNo: "FM001" }, "支付成功", "订单 FM001 已支付"],
  ["order.shipped", { orderNo: "FM001" }, "订单已发货", "订单 FM001 已发货"],
  ["order.refunded", { orderNo: "FM001" }, "退款成功", "订单 FM001 已退款"],
  ["order.refundStarted", { orderNo: "FM001" }, "退款已受理", "订单 FM001 的退款已受理，款项将原路退回"],
  ["order.refundFailed", { orderNo: "FM001", refundNo: "RF1" }, "退款遇到问题", "订单 FM001 的退款遇到问题，商家会尽快为您处理"],
  ["refund.requested", { orderNo: "FM001" }, "退款申请已提交", "订单 FM001 的退款申请已提交，商家将在 48 小时内处理，超时将自动同意"],
  ["refund.rejected", { orderNo: "FM001", reason: "商品已拆封" }, "退款申请未通过", "订单 FM001 的退款申请未通过：商品已拆封"],
  ["payment.returned.mismatch", { orderNo: "FM001" }, "付款将原路退回", "订单 FM001 的支付金额与订单不符，款项将原路退回"],
  ["payment.returned.cancelled", { orderNo: "FM001" }, "付款将原路退回", "订单 FM001 已取消，本次付款将原路退回"],
  ["payment.returned.paid", { orderNo: "FM001" }, "付款将原路退回", "订单 FM001 已支付，本次付款将原路退回"],
  ["payment.returned.unavailable", { orderNo: "FM001" }, "付款将原路退回", "订单 FM001 当前不可支付，本次付款将原路退回"],
  ["order.refundDone", { orderNo: "FM001", refundNo: "RF1" }, "退款已到账", "订单 FM001 的退款已原路退回到您的支付账户"],
  ["order.refundUnconfirmed", { orderNo: "FM001", refundNo: "RF1", days: 14 }, "退款尚未确认到账", "订单 FM001 的退款已提交超过 14 天，支付渠道仍未确认到账，商家正在核实。如已收到退款请忽略；如未收到，请通过「我的」页的联系客服与商家联系"],
  ["account.frozen", undefined, "账户已冻结", "您的账户因风控审核未通过已被冻结"],
  ["account.frozenByMerchant", undefined, "账户已冻结", "您的账户已被商家冻结，冻结期间不能提现，也不再获得新的佣金和奖励；仍可登录查看订单、确认收货和申请售后。如有疑问，请通过「我的」页的联系客服与商家联系"],
  ["account.unfrozen", undefined, "账户已解冻", "您的账户已解除冻结，可以正常获得佣金和奖励、提现。如有疑问，请通过「我的」页的联系客服与商家联系"],
  ["commission.pending", { level: 1, amountFen: 1234 }, "佣金待结算", "直推好友下单，佣金 ¥12.34 已计入待结算，订单完成后结算到账"],
  ["commission.pending", { level: 3, amountFen: 5 }, "佣金待结算", "再推好友下单，佣金 ¥0.05 已计入待结算，订单完成后结算到账"],
  ["commission.pendingHeld", { level: 1, amountFen: 2680 }, "佣金审核中", "直推好友下单，佣金 ¥26.80 已计入，订单正在审核中，审核通过后照常结算"],
  ["commission.settled", { orderNo: "FM001", level: 1, amountFen: 600 }, "佣金已结算", "直推好友订单 FM001 的佣金 ¥6.00 已转入可提现余额"],
  ["commission.settledTeam", { level: 2, amountFen: 600 }, "佣金已结算", "间推好友订单的佣金 ¥6.00 已转入可提现余额"],
  ["commission.forfeited.frozen", { level: 1, amountFen: 990 }, "佣金未获得", "直推好友下单，佣金 ¥9.90 未获得：付款时你的账户已冻结"],
  ["commission.forfeited.notDistributor", { level: 2, amountFen: 495 }, "佣金未获得", "间推好友下单，佣金 ¥4.95 未获得：付款时你还不是分销员，成为分销员后好友的订单才有佣金"],
  ["commission.forfeited.suspended", { level: 1, amountFen: 990 }, "佣金未获得", "直推好友下单，佣金 ¥9.90 未获得：你的分销资格已被商家停用"],
  ["commission.forfeited.locked", { level: 3, amountFen: 198, n: 2 }, "佣金未获得", "再推好友下单，佣金 ¥1.98 未获得：需 2 位有效直推才能获得第 3 级佣金"],
  ["commission.voided.refunded", { level: 2, amountFen: 495 }, "佣金已作废", "间推好友的订单已退款，佣金 ¥4.95 已作废"],
  ["commission.voidedMany.refunded", { count: 2, amountFen: 1980 }, "佣金已作废", "好友的订单已退款，2 笔佣金共 ¥19.80 已作废"],
  ["commission.voided.riskRejected", { level: 1, amountFen: 990 }, "佣金已作废", "直推好友的订单经商家审核不计佣金，佣金 ¥9.90 已作废"],
  ["commission.voidedMany.riskRejected", { count: 3, amountFen: 2970 }, "佣金已作废", "好友的订单经商家审核不计佣金，3 笔佣金共 ¥29.70 已作废"],
  ["commission.voided.team", { level: 2, amountFen: 495 }, "佣金已作废", "间推好友的订单不计佣金，佣金 ¥4.95 已作废"],
  ["commission.voidedMany.team", { count: 3, amountFen: 2970 }, "佣金已作废", "好友的订单不计佣金，3 笔佣金共 ¥29.70 已作废"],
  ["wallet.credited", { bucket: "available", amountFen: 1000, reason: "活动补贴" }, "账户调整", "您的可提现余额增加 ¥10.00。原因：活动补贴"],
  ["wallet.credited", { bucket: "available", amountFen: 1_000_000, reason: "活动补贴" }, "账户调整", "您的可提现余额增加 ¥10,000.00。原因：活动补贴"],
  ["wallet.debited", { bucket: "credit", amountFen: 250, reason: "误发回收" }, "账户调整", "您的购物金余额扣减 ¥2.50。原因：误发回收"],
  ["withdrawal.paid", { payoutNo: "WD42" }, "提现到账", "提现单 WD42 已到账"],
  ["withdrawal.failed", undefined, "提现失败", "提现打款未成功：支付渠道未能完成这笔转账。金额已退回可提现余额，可重新申请提现；如仍未成功，请通过「我的」页的联系客服与商家联系"],
  ["withdrawal.failed.unbound", { payoutNo: "WD7" }, "提现失败", "提现单 WD7 打款未成功：未绑定收款账户。金额已退回可提现余额，请在钱包中绑定收款账户后重新提现"],
  ["withdrawal.failed.identity", { payoutNo: "WD7" }, "提现失败", "提现单 WD7 打款未成功：收款账户实名与认证姓名不一致，或收款账户未实名。金额已退回可提现余额，请检查收款账户后重新提现"],
  ["withdrawal.failed.limit", { payoutNo: "WD7-2" }, "提现失败", "提现单 WD7-2 打款未成功：超出收款账户的收款限额。金额已退回可提现余额，请次日再试或减少金额后重新提现"],
  ["withdrawal.failed.account", { payoutNo: "WD7" }, "提现失败", "提现单 WD7 打款未成功：收款账户不存在或状态异常（如已冻结）。金额已退回可提现余额，请检查收款账户后重新提现"],
  ["withdrawal.failed.unconfirmed", { payoutNo: "WD7" }, "提现失败", "提现单 WD7 未在 24 小时内确认收款，转账已撤销。金额已退回可提现余额，请重新提现并及时在微信中确认收款"],
  ["withdrawal.failed.lostConfirmation", { payoutNo: "WD7" }, "提现失败", "提现单 WD7 的转账确认信息已失效。金额已退回可提现余额，请重新申请提现"],
  ["withdrawal.rejected", { amountFen: 20000 }, "提现被驳回", "提现 ¥200.00 被驳回，金额已退回可提现余额"],
  ["withdrawal.rejectedWithReason", { amountFen: 250_055, reason: "收款信息与实名不符，请核对后重新申请" }, "提现被驳回", "提现 ¥2,500.55 被驳回，金额已退回可提现余额。驳回原因：收款信息与实名不符，请核对后重新申请"],
  ["stepBonus.paid", { month: "2026-03", salesFen: 5000000, rateBps: 800, amountFen: 400000 }, "阶梯奖励到账", "2026-03 直推销售 ¥50,000.00，按 8% 发放阶梯奖励 ¥4,000.00"],
  ["stepBonus.paid", { month: "2026-03", salesFen: 10000, rateBps: 250, amountFen: 250 }, "阶梯奖励到账", "2026-03 直推销售 ¥100.00，按 2.5% 发放阶梯奖励 ¥2.50"],
  ["teamBonus.paid", { month: "2026-03", amountFen: 123456 }, "团队绩效到账", "2026-03 团队绩效 ¥1,234.56 已到账"],
  ["teamBonus.topUp", { month: "2026-03", amountFen: 200, totalFen: 1200 }, "团队绩效补发", "2026-03 有订单延后完成，团队绩效补发 ¥2.00，2026-03 合计 ¥12.00"],
  ["stepBonus.topUp", { month: "2026-03", salesFen: 5000000, rateBps: 800, amountFen: 150000, totalFen: 400000 }, "阶梯奖励补发", "2026-03 有订单延后完成，直推销售更新为 ¥50,000.00，按 8% 补发 ¥1,500.00，2026-03 合计 ¥4,000.00"],
  ["tier.changed", { tier: "partner", tierLabel: "合伙人" }, "会员等级变更", "您的等级已变为 合伙人"],
  ["tier.changed", { tier: "gold", tierLabel: "金卡会员" }, "会员等级变更", "您的等级已变为 金卡会员"],
  ["team.joined", { name: "温**子" }, "新成员加入团队", "温**子 通过你的邀请注册，成为你的直推成员"],
  ["rebate.opened", { orderNo: "FM001", n: 3, deadline: "2026-12-31 10:00", cashbackFen: 15800 }, "推三返一已开启", "订单 FM001 已开启推三返一：2026-12-31 10:00 前邀请 3 位好友首单付款，你和好友的订单都完成后，可返现 ¥158.00"],
  ["rebate.openedHeld", { orderNo: "FM001", n: 3, deadline: "2026-12-31 10:00", cashbackFen: 26800 }, "推三返一已开启", "订单 FM001 已开启推三返一，订单正在审核中：2026-12-31 10:00 前邀请 3 位好友首单付款，审核通过且你和好友的订单都完成后，可返现 ¥268.00"],
  ["rebate.deadline", { missing: 2, cashbackFen: 9900 }, "推三返一即将截止", "还差 2 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 ¥99.00"],
  ["rebate.deadline", { missing: 1, cashbackFen: 123_456_789 }, "推三返一即将截止", "还差 1 人，24 小时内截止；截止前邀满好友首单付款，且你和好友的订单都完成、无退款后，可返现 ¥1,234,567.89"],
  ["rebate.invited", { missing: 1 }, "推三返一进度", "好友首单已付款，还差 1 人"],
  ["rebate.confirmed", { cashbackFen: 9900 }, "推三返一已确认", "你和好友的订单都已完成，返现 ¥99.00 将于次日到账"],
  ["rebate.removed.refunded", { missing: 1 }, "推三返一进度", "有好友的首单已退款，不再计入；还差 1 人，截止前邀请新好友首单付款仍可返现"],
  ["rebate.removed.rejected", { missing: 2 }, "推三返一进度", "有好友的首单经商家审核不再计入；还差 2 人，截止前邀请新好友首单付款仍可返现"],
  ["rebate.expired.refunded", { n: 3, cashbackFen: 9900 }, "推三返一已失效", "有好友的首单已退款，不再计入；截止时间已过，未邀满 3 人，返现 ¥99.00 不再发放"],
  ["rebate.expired.rejected", { n: 3, cashbackFen: 9900 }, "推三返一已失效", "有好友的首单经商家审核不再计入；截止时间已过，未邀满 3 人，返现 ¥99.00 不再发放"],
  ["rebate.expired", { n: 3, cashbackFen: 9900 }, "推三返一已失效", "截止前未邀满 3 位好友首单，返现 ¥99.00 不再发放"],
  ["rebate.voided.anchorRefunded", { orderNo: "FM001", cashbackFen: 9900 }, "推三返一已作废", "订单 FM001 已退款，返现任务作废，返现 ¥99.00 不再发放"],
  ["rebate.voided.riskRejected", { orderNo: "FM001", cashbackFen: 9900 }, "推三返一已作废", "风控审核未通过，订单 FM001 的返现任务作废，返现 ¥99.00 不再发放"],
  ["rebate.invitedAll", { n: 3 }, "推三返一进度", "已邀满 3 位好友首单，待订单完成后返现"],
  ["rebate.paid", { cashbackFen: 26800 }, "推三返一返现到账", "返现 ¥268.00 已到账"],
  ["rebate.paidCredit", { cashbackFen: 26800 }, "推三返一返现到账", "返现 ¥268.00 已到账（购物金）"],
  ["distributor.joined", undefined, "您已成为分销员", "推荐好友下单即可赚取佣金，快去推广中心分享吧"],
  ["distributor.suspended", undefined, "分销资格已停用", "商家已停用你的分销资格：停用期间好友的订单不为你产生佣金，也不能获得阶梯奖励；推三返一和团队关系不受影响。如有疑问，请通过「我的」页的联系客服与商家联系"],
  ["distributor.restored", undefined, "分销资格已恢复", "商家已恢复你的分销资格，之后好友付款的订单可以为你带来佣金"],
  ["distributor.unsuspended", undefined, "分销资格已恢复", "商家已恢复你的分销资格；成为分销员后，好友的订单即可为你带来佣金，条件见推广中心"],
];

describe("the Chinese text a notification is stored with", () => {
  it.each(cases)("%s %j", (key, params, title, body) => {
    expect(storedNoticeText(key, params)).toEqual({ title, body });
  });

  it("covers every key of the catalogue", () => {
    const keys = Object.keys(noticesZhCN).filter((k) => k.endsWith(".title")).map((k) => k.slice("notice.".length, -".title".length));
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(keys));
  });
});
