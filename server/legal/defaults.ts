// The default 用户协议 and 隐私政策 (version 1 of each), shown until the merchant saves their own. They list what
// this app really collects and whom it shares it with (PIPL 第十七条); keep them in step with the code. The reward
// programs are described without any earnings claim (server/rules/compliance.ts; tests/legal.test.ts checks both).
import type { Locale } from "@/lib/i18n/core";
import type { LegalKind } from "./documents";

/** The 店铺资料 the contact section names (server/shop/profile.ts): each line is shown only when set. */
export interface LegalContact {
  operatorName?: string | null;
  servicePhone?: string | null;
  serviceWechat?: string | null;
  email?: string | null;
  serviceHours?: string | null;
  address?: string | null;
}

// The merchant's values go into Markdown: one line each, characters Markdown would read as formatting escaped.
const md = (v: string) => v.replace(/\s+/g, " ").replace(/[\\`*_[\]<>&]/g, "\\$&");

/** The channels that are set, as a list nested under item 3 ("label：value"). */
function channelLines(c: LegalContact, labels: Record<Exclude<keyof LegalContact, "operatorName">, string>): string {
  return (Object.keys(labels) as (keyof typeof labels)[])
    .filter((k) => c[k])
    .map((k) => `\n   - ${labels[k]}${md(c[k]!)}`)
    .join("");
}

// PIPL 第十七条: the handler's name and contact. The operator (经营主体) is the handler when set; the in-app channels
// always, the 店铺资料's phone, WeChat, e-mail, hours and address when set.
function contactZh(shop: string, c: LegalContact): string {
  const lines = channelLines(c, { servicePhone: "客服电话：", serviceWechat: "客服微信：", email: "电子邮箱：", serviceHours: "服务时间：", address: "通信地址：" });
  return `个人信息处理者和本商城的运营者：${c.operatorName ? md(c.operatorName) : shop}。您可以通过以下方式联系我们：

1. **订单、付款、退款和售后**：在“我的” → “我的订单”中打开该订单，点击“申请退款”提交，处理进度和结果显示在订单的“售后服务”中。
2. **昵称、头像、收货地址和注销账户**：在“我的”页面自行修改或办理。
3. **其他疑问、意见、投诉，以及行使个人信息权利的请求**：请联系${shop}客服${lines ? `：${lines}` : "。"}`;
}

function contactEn(shop: string, c: LegalContact): string {
  const lines = channelLines(c, { servicePhone: "Phone: ", serviceWechat: "WeChat: ", email: "E-mail: ", serviceHours: "Hours: ", address: "Postal address: " });
  return `The personal information handler and operator of the shop: ${c.operatorName ? md(c.operatorName) : shop}. You can reach us as follows:

1. **Orders, payments, refunds and after-sales**: open the order under "Me" → "My orders" and tap "Request refund"; its progress and outcome are shown in the order's "After-sales" section.
2. **Nickname, avatar, addresses and closing your account**: change or do it yourself on the "Me" page.
3. **Other questions, comments, complaints and requests to exercise your rights over your personal information**: contact ${shop}'s customer service${lines ? `:${lines}` : "."}`;
}

function termsZh(shop: string, c: LegalContact): string {
  return `# ${shop}用户协议

欢迎使用${shop}（以下简称“本商城”或“我们”）。本协议是您与本商城运营者之间关于使用本商城服务的约定。请您在登录前仔细阅读本协议和《隐私政策》，特别是加粗的条款。**勾选“我已阅读并同意”并登录，即表示您同意本协议；如不同意，请不要登录。**

## 一、账户

1. 您以手机号和短信验证码注册、登录；在微信内也可以通过微信授权登录，首次微信登录需要验证手机号，之后在微信内外使用同一个账户。
2. 一个手机号只能注册一个账户。请妥善保管您的手机和账户，通过您账户进行的操作视为您本人的操作。
3. 您可以在“我的”页面退出当前设备或所有设备的登录。
4. 存在作弊、违法或违反本协议的行为时，我们可以限制奖励、暂停提现或冻结账户。

## 二、购物

1. 商品、价格和库存以下单时页面显示为准。未在页面提示的时间内付款的订单会自动取消。
2. 付款由微信支付或支付宝完成。商品发货后，您可以确认收货；未确认的，系统会在页面说明的期限后自动确认收货。
3. 在订单完成前（售后期内），您可以按页面提示申请退款；退款原路退回。

## 三、邀请与奖励规则（推三返一、分销佣金）

1. 每位会员都有专属邀请码和分享链接。好友通过您的链接注册时与您建立邀请关系；**邀请关系建立后不能自行更改**，仅在核实为错误绑定等情形时，由本商城经两名管理人员审核后调整，调整前已产生的佣金和返现不受影响。自己邀请自己、或与邀请人使用同一设备注册的，不建立邀请关系。
2. **推三返一**：按活动页面公示的规则，您的订单付款后，在活动期限内邀请规定人数的新会员完成首单，且您的订单和他们的首单都已完成的，可获得按规则计算的返现。
3. **分销佣金**：佣金最多计算三级，按商品金额（不含运费）和活动页面公示的比例计算，订单完成后确认，并在确认后的下一个自然日计入钱包。
4. 订单在完成前退款的，相关佣金和返现作废。
5. **参与不需要缴纳任何费用**，不设入门费、押金或付费会员；奖励只来源于真实的商品销售。
6. **奖励取决于实际成交、退款和当时的规则，可能为零；本商城不对任何收入作出承诺。** 请不要以收入承诺或夸大的宣传邀请他人。
7. 为防止作弊，我们会记录并审核自我邀请、同一设备或同一 IP 批量注册、异常退款等情况；审核期间相关奖励暂缓，审核不通过的奖励作废，多次不通过的账户会被冻结。
8. 规则调整时，已获得的奖励按获得时的规则处理。

## 四、钱包与提现

1. 已结算的奖励计入钱包，可以申请提现；提现的最低金额和手续费以提现页面显示为准。
2. 提现前需要完成实名核验（真实姓名和身份证号码）。提现经审核后打款到您的微信零钱或支付宝账户；审核不通过或打款失败的，金额退回钱包。

## 五、您的承诺

您不得虚假交易、恶意注册、利用规则漏洞套取奖励，不得发布违法或侵犯他人权利的内容，不得干扰本商城的正常运行。

## 六、个人信息

我们按《隐私政策》处理您的个人信息。

## 七、协议的变更

本协议更新时，我们会发布新版本，并在您下次登录时请您重新阅读并同意。

## 八、法律适用与争议解决

本协议适用中华人民共和国法律。发生争议的，双方应友好协商；协商不成的，任何一方可以向有管辖权的人民法院提起诉讼。

## 九、联系我们

${contactZh(shop, c)}
`;
}

function privacyZh(shop: string, c: LegalContact): string {
  return `# ${shop}隐私政策

${shop}（以下简称“本商城”或“我们”）依照《中华人民共和国个人信息保护法》处理您的个人信息。本政策说明我们收集哪些个人信息、为什么收集、保存多久、与谁共享，以及您的权利和行使方式。**勾选“我已阅读并同意”并登录，即表示您同意我们按本政策处理您的个人信息。**

## 一、我们收集的个人信息及目的

1. **手机号码**：用于注册、登录（短信验证码）和识别您的账户。手机号加密存储，页面只显示打码后的号码；短信验证码只保存其摘要，5 分钟内有效；每次发送的记录（验证码摘要、发送时的 IP 地址和时间）保存 90 天后删除。
2. **微信 openid 和 unionid**（仅在微信内登录时）：通过微信网页授权获取，用于识别您的账户、微信支付、提现到微信零钱和发送您订阅的服务通知。**只有在您同意后**，我们才获取您的微信昵称和头像。
3. **昵称和头像**：您设置、上传或同意使用的微信昵称和头像。
4. **收货地址**：收货人姓名、电话、省市区和详细地址，用于配送和售后。
5. **订单和支付信息**：购买的商品、金额、订单状态、支付和退款记录（含支付平台的交易号），以及售后申请的原因、说明和您上传的图片。我们不收集银行卡号或支付密码。
6. **邀请关系和奖励信息**：您的邀请人（谁邀请了您）、您邀请的会员及团队、推三返一任务进度、佣金、返现、钱包余额和流水、提现申请及结果；提现到支付宝时，还有您的支付宝账户标识。
7. **实名信息**（仅在申请提现时）：真实姓名和身份证号码，用于提现前的身份核验；加密存储，页面只显示打码后的内容。
8. **风控信息**：注册和发送验证码时的 IP 地址，以及设备指纹——登录时在您浏览器本地存储中保存的一个随机设备标识的摘要；浏览器不允许保存时，改用由浏览器标识、语言、屏幕尺寸、时区、系统平台、处理器核数和触控点数计算出的一段摘要（不含这些原始信息）。用于识别自我邀请、同一设备或同一 IP 批量注册、异常退款等作弊行为，以及限制验证码的发送频率。
9. **Cookie**：只使用必要的 Cookie，用于保持登录状态、记住您打开的分享链接以确定邀请人（最长 30 天；哪次打开的链接算数，由商城设定的归因期决定，默认 7 天）、区分分享链接的重复访问（1 天）、记住您选择的语言、在微信登录过程中临时保存授权结果（15 分钟）和您同意的协议版本。上述随机设备标识保存在浏览器本地存储中，只用于第 8 项的风控，清除浏览器数据即删除。我们不使用 Cookie 投放广告。
10. **使用记录**：最近活跃时间、登录会话和站内通知。

## 二、保存期限和地点

1. 账户信息在您的账户存续期间保存。
2. 订单、支付和交易信息自交易完成之日起保存不少于三年（《电子商务法》第三十一条）；钱包流水和提现记录按财务、税务法规的要求保存。
3. 注册 IP、设备指纹和风控记录随账户保存，用于核查作弊；发送验证码时记录的 IP 地址保存 90 天。风控记录中的 IP 地址、设备指纹和收货地址摘要，在该记录审核完毕 180 天后删除（无需审核的，自记录产生起算），记录本身（规则、审核结论、次数等）继续保存。
4. 商城工作人员导出的名单文件（其中手机号已打码）在生成 7 天后删除。
5. 您注销账户或保存期限届满后，我们删除或匿名化处理您的个人信息，法律、行政法规另有规定的除外。
6. 您的个人信息存储在中华人民共和国境内。

## 三、共享和委托处理

我们不出售您的个人信息，只在以下必要范围内提供：

1. **支付机构（微信支付、支付宝）**：订单号和金额等完成付款、退款所需的信息；提现时还有您的微信 openid 或支付宝账户标识，支付机构要求时还有实名信息。
2. **短信服务商（如腾讯云短信）**：您的手机号码和验证码，用于发送登录验证码。
3. **物流公司**：收货人姓名、电话和地址，用于配送商品。
4. **微信公众平台**：用于微信登录、分享和您订阅的服务通知。
5. **您的邀请人**：可以看到您打码后的昵称、头像和与其奖励相关的进度（例如您的首单是否完成），看不到您的手机号、地址或订单明细。
6. **其他会员**：您是分销员且本月有直推销售时，本月分销员排行榜向其他会员显示您打码后的昵称和本月直推销售额；您可以在推广中心关闭“在排行榜中显示我”，关闭后其他会员在排行榜上看不到您。
7. 法律法规规定，或有权机关依法要求时。

## 四、您的权利

您有权查阅、复制您的个人信息，更正、补充不准确的信息，要求删除您的个人信息，撤回同意，注销账户，以及要求我们解释本政策。昵称、头像和收货地址可在“我的”页面自行修改；订单、钱包和团队可在相应页面查看。撤回同意后，我们将停止相应处理，但可能无法继续为您提供需要这些信息的服务（例如登录）；撤回不影响此前基于同意已进行的处理。

**注销账户**：您可以在“我的”页面底部点击“注销账号”自行注销，以发送到您手机的验证码确认。有未完成的订单、处理中的售后或提现、钱包可提现余额未提现、或账户处于风控冻结时，需先处理完毕；尚未到账的佣金、返现和商城余额将作废。注销后，我们立即删除您的手机号、昵称、头像（及您上传但未用于售后申请的图片）、实名信息、收货地址、注册 IP 和设备指纹、站内消息和短信验证码记录，解除微信绑定并退出所有设备；订单、支付和钱包流水按第二部分的期限保存，订单上的收货人和地址只保留打码后的形式，不再与您的身份关联，您在邀请关系中显示为“已注销用户”。售后申请（含上传的照片）和已产生的风控记录（可能含当时的 IP 地址和设备摘要）作为交易和核查作弊的凭证保存。手机号的加密摘要（无法还原出号码）保留一年：一年内用同一号码重新注册的是一个全新的账号，不算新用户，经邀请注册的先交由风控复核，复核通过前不计入邀请奖励。

行使其他权利，请按第六部分的方式联系我们；我们核实您的身份后，在 15 个工作日内答复。

## 五、未成年人

未满 14 周岁的未成年人，请在监护人同意和指导下使用本商城。

## 六、联系我们

${contactZh(shop, c)}

您也可以向网信部门等监管部门投诉、举报。

## 七、本政策的更新

本政策更新时，我们会发布新版本，并在您下次登录时请您重新阅读并同意。
`;
}

function termsEn(shop: string, c: LegalContact): string {
  return `# ${shop} Terms of Service

Welcome to ${shop} ("the shop", "we"). These terms are the agreement between you and the operator of the shop. Please read them and the Privacy Policy before you sign in. **By ticking "I have read and agree" and signing in you accept these terms; if you do not, please do not sign in.**

## 1. Your account

1. You sign up and sign in with your mobile number and an SMS code. Inside WeChat you may also sign in with WeChat; the first time, you confirm your mobile number, and from then on it is one account inside and outside WeChat.
2. One mobile number holds one account. Keep your phone and account safe: what is done through your account counts as done by you.
3. On the "Me" page you can sign out of this device or of every device.
4. We may hold rewards, stop withdrawals or freeze an account that cheats, breaks the law or breaks these terms.

## 2. Shopping

1. Products, prices and stock are as shown when you order. An order not paid within the time shown is cancelled.
2. Payment is made through WeChat Pay or Alipay. After shipment you confirm receipt, or it is confirmed automatically after the period shown.
3. Until the order is completed (within the after-sales period) you may ask for a refund as the page explains; refunds go back the way you paid.

## 3. Invitations and rewards (refer-three cashback, distribution commission)

1. Every member has an invitation code and share link. A friend who signs up through your link is bound to you as your invitee; **the binding cannot be changed by members**: only where a wrong binding is verified does the shop change it, approved by two of its managers, and commissions and cashback arising before the change are not affected. Inviting yourself, or signing up on the inviter's device, binds no one.
2. **Refer-three cashback**: under the rules published on the campaign page, after your order is paid, if you invite the stated number of new members who complete a first order within the campaign period, and your order and theirs are completed, you may receive the cashback those rules set.
3. **Distribution commission**: at most three levels, computed on the goods amount (without shipping) at the rates published on the campaign page, confirmed when the order is completed and credited to your wallet on the next calendar day.
4. An order refunded before it is completed earns no commission or cashback.
5. **Taking part costs nothing**: there is no joining fee, deposit or paid membership; rewards come only from real sales of goods.
6. **Rewards depend on actual sales, refunds and the rules in force, and may be zero; the shop promises no income.** Do not invite others with promises of income or exaggerated claims.
7. To prevent cheating we record and review self-invitation, many sign-ups from one device or IP address, unusual refunds and the like; rewards are held during a review, voided if it fails, and an account that fails several reviews is frozen.
8. When the rules change, rewards already earned follow the rules under which they were earned.

## 4. Wallet and withdrawals

1. Settled rewards go to your wallet and can be withdrawn; the minimum amount and any fee are shown on the withdrawal page.
2. Before a withdrawal you verify your identity (real name and ID number). After review the money is paid to your WeChat balance or Alipay account; if refused or if the payout fails, it returns to your wallet.

## 5. Your conduct

You may not make fake orders, register accounts in bulk, exploit the rules to obtain rewards, publish unlawful content or content infringing others' rights, or disrupt the shop.

## 6. Personal information

We process your personal information as the Privacy Policy describes.

## 7. Changes

When these terms change we publish a new version and ask you to read and accept it at your next sign-in.

## 8. Law and disputes

These terms are governed by the laws of the People's Republic of China. Disputes are settled by negotiation first; failing that, either party may sue in a competent people's court.

## 9. Contact

${contactEn(shop, c)}
`;
}

function privacyEn(shop: string, c: LegalContact): string {
  return `# ${shop} Privacy Policy

${shop} ("the shop", "we") processes your personal information under the Personal Information Protection Law of the People's Republic of China. This policy says what we collect, why, how long we keep it, whom we share it with, and your rights and how to exercise them. **By ticking "I have read and agree" and signing in you consent to the processing described here.**

## 1. What we collect and why

1. **Mobile number**: to sign you up and in (SMS code) and to identify your account. It is stored encrypted and shown masked; SMS codes are stored only as a hash and expire after 5 minutes; the record of each code sent (its hash, the IP address and the time) is deleted after 90 days.
2. **WeChat openid and unionid** (only when you sign in inside WeChat): obtained through WeChat web authorisation, to identify your account, for WeChat Pay, withdrawals to your WeChat balance and the service notifications you subscribe to. **Only with your consent** do we obtain your WeChat nickname and avatar.
3. **Nickname and avatar**: the ones you set, upload or allow us to take from WeChat.
4. **Delivery addresses**: recipient name, phone, region and street address, for delivery and after-sales service.
5. **Orders and payments**: products bought, amounts, order status, payment and refund records (including the payment provider's transaction numbers), and the reasons, descriptions and pictures of after-sales requests. We never collect card numbers or payment passwords.
6. **Invitations and rewards**: who invited you, whom you invited and your team, refer-three progress, commissions, cashback, wallet balances and ledger, withdrawal requests and their outcome; for withdrawals to Alipay, your Alipay account identifier.
7. **Identity** (only when you ask to withdraw): real name and ID number, to verify your identity before a withdrawal; stored encrypted and shown masked.
8. **Risk control**: the IP address at sign-up and when an SMS code is sent, and a device fingerprint — a hash of a random device identifier kept in your browser's local storage at sign-in; where the browser keeps nothing, a hash computed from your browser's user agent, language, screen size, time zone, platform, number of processor cores and touch points (not those values themselves). Used to detect self-invitation, bulk sign-ups from one device or IP address and unusual refunds, and to limit how often SMS codes are sent.
9. **Cookies**: only necessary cookies — to keep you signed in, to remember the share link you opened so your inviter can be recorded (at most 30 days; which link counts follows the shop's attribution window, 7 days by default), to tell a repeat view of a share link from a new one (1 day), your language, the result of a WeChat authorisation in progress (15 minutes) and the versions of these documents you accepted. The random device identifier above is kept in your browser's local storage, used only for the risk control in 8, and deleted when you clear the browser's data. No advertising cookies.
10. **Usage records**: last active time, sign-in sessions and in-app notifications.

## 2. Retention and location

1. Account information is kept while your account exists.
2. Orders, payments and transactions are kept for at least three years after the transaction is completed (E-Commerce Law, article 31); wallet ledgers and withdrawals as financial and tax rules require.
3. Sign-up IP, device fingerprint and risk records are kept with the account, to investigate cheating; the IP address recorded when an SMS code is sent is kept for 90 days. The IP addresses, device fingerprints and address fingerprints in a risk record are deleted 180 days after its review is decided (after it is made, for one that needs no review); the record itself (the rule, the decision, counts) is kept.
4. Lists the shop's staff export (with mobile numbers masked) are deleted 7 days after they are made.
5. When you close your account or a retention period ends, we delete or anonymise your personal information, unless laws or administrative regulations require otherwise.
6. Your personal information is stored in the People's Republic of China.

## 3. Sharing

We never sell your personal information. We provide it only as far as necessary to:

1. **Payment providers (WeChat Pay, Alipay)**: order number, amount and what a payment or refund needs; for withdrawals also your WeChat openid or Alipay account identifier and, where the provider requires it, your verified identity.
2. **The SMS provider (e.g. Tencent Cloud SMS)**: your mobile number and the code, to send sign-in codes.
3. **Logistics companies**: recipient name, phone and address, to deliver your order.
4. **The WeChat Official Account platform**: for WeChat sign-in, sharing and the notifications you subscribe to.
5. **Your inviter**: sees your masked nickname, your avatar and the progress that concerns their rewards (e.g. whether your first order is completed) — never your mobile number, address or order details.
6. **Other members**: while you are a distributor with direct sales this month, the monthly distributor leaderboard shows other members your masked nickname and this month's direct sales; you can switch off "Show me on the leaderboard" in the Promotion centre, and other members then no longer see you on it.
7. Authorities, where the law requires it.

## 4. Your rights

You may access and copy your personal information, correct or complete it, ask us to delete it, withdraw your consent, close your account, and ask us to explain this policy. You can change your nickname, avatar and addresses yourself on the "Me" page and see your orders, wallet and team on their pages. After you withdraw consent we stop the processing concerned, but may no longer be able to provide services that need it (such as signing in); processing before the withdrawal is not affected.

**Closing your account**: tap "Delete account" at the bottom of the "Me" page and confirm with a code sent to your phone. Unfinished orders, after-sales requests or withdrawals in progress, an available wallet balance not yet withdrawn, or an account frozen for risk review must be settled first; commissions, cashback and store credit not yet received are forfeited. We then at once delete your mobile number, nickname, avatar (and pictures you uploaded that no after-sales request uses), verified identity, addresses, sign-up IP address and device fingerprint, in-app messages and SMS code records, unlink WeChat and sign you out on every device; orders, payments and wallet ledgers are kept for the periods in section 2 with the recipient and address only in masked form, no longer linked to you, and you appear as "已注销用户" (deleted user) in referral relations. After-sales requests (with their photos) and risk records already made (which may hold the IP address and device hash of the time) are kept as evidence of transactions and for investigating cheating. A one-way hash of your mobile number (it cannot give the number back) is kept for one year: signing up again with the same number within that year makes a new account that does not count as a new member, and one made through an invitation is reviewed before it counts toward anyone's rewards.

To exercise your other rights, contact us as in section 6; once we have verified your identity we answer within 15 working days.

## 5. Minors

Children under 14 may use the shop only with a guardian's consent and guidance.

## 6. Contact

${contactEn(shop, c)}

You may also complain to the Cyberspace Administration or another regulator.

## 7. Updates

When this policy changes we publish a new version and ask you to read and accept it at your next sign-in.
`;
}

const DEFAULTS: Record<LegalKind, Record<Locale, (shop: string, c: LegalContact) => string>> = {
  terms: { "zh-CN": termsZh, en: termsEn },
  privacy: { "zh-CN": privacyZh, en: privacyEn },
};

/** The app's own text of a document (its version 1), in Markdown, naming the shop and the contacts of its 店铺资料. */
export function defaultLegalText(kind: LegalKind, locale: Locale, shopName: string, contact: LegalContact = {}): string {
  return DEFAULTS[kind][locale](md(shopName), contact);
}

/**
 * The revision of the default texts' wording: bump it with any change of what they say (the guard in
 * tests/legal-default-versions.test.ts fails until then). At server start a reworded default in force becomes a new
 * version only under a release whose revision is not older than the one that kept it (server/legal/documents.ts
 * syncDefaultLegalVersions), so starting an older release again, or two releases side by side, changes nothing.
 * Generated versions kept before revisions were recorded count as 0.
 */
export const DEFAULT_LEGAL_REVISION = 5;

/**
 * Each revision's wording as the guard test fingerprints it (sha256 of both texts in both languages for its fixed
 * 店铺资料). On a rewording: bump DEFAULT_LEGAL_REVISION and add its line, as the test's message says; never edit a
 * line already here.
 */
export const DEFAULT_LEGAL_FINGERPRINTS: Readonly<Record<number, string>> = {
  1: "b4413a1f588c388a6e155a6091bdd323ace664f5e40a90a063cbf3bc97a5d088",
  2: "e3f1bd5a5a7448ea9c4f1bfaa520bb43558e266af8e8cf56bed790bd0e236c02",
  3: "157703adc042bbfa828bcb194f0a337cd4538ed68353c5ddd5236a9583f7de5b",
  4: "d9b54e29f5ca561229cdebaab06418bd92c53698aeb893bb698a13436fc1c996",
  5: "5b9ee865f440d50da33f799d19d287d51e3ba1c989d530fcc73d1fa8e2d60400",
};

/** A release's default texts: the revision of their wording and what renders them (tests pass an older or newer one). */
export interface LegalDefaults {
  revision: number;
  text: typeof defaultLegalText;
}

/** This release's default texts. */
export const LEGAL_DEFAULTS: LegalDefaults = { revision: DEFAULT_LEGAL_REVISION, text: defaultLegalText };
