// An SMS code's refusal as the domain's, the one way every code (sign-in, 注销账号, 绑定支付宝) passes it on.
import { DomainError } from "../context";
import { OtpError } from "./otp";

/** A too-soon send's wait, which 获取验证码 counts down (components/SmsCodeField.tsx refusalWait); none otherwise. */
export function otpRefusalParams(err: OtpError): { retryAfterSec: number } | undefined {
  return err.retryAfterSec === undefined ? undefined : { retryAfterSec: err.retryAfterSec };
}

/** Rethrows an OtpError as a DomainError (its code is an `error.<code>` key too), with its wait; anything else as is. */
export function otpRefusal(err: unknown): never {
  if (err instanceof OtpError) throw new DomainError(err.code, err.message, undefined, otpRefusalParams(err));
  throw err;
}
