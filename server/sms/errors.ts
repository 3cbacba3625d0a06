// How a vendor's failure to send reaches the code that asked (server/auth/otp.ts): by kind and code, never its text.

/**
 * A message the vendor did not confirm: `refusal` "phone" when it refused this number (invalid, blocked, its own limit for
 * the number), else "unavailable" (unreachable, or refused for any other reason). `mayHaveSent` unless the vendor answered
 * with an error code of its own (a timeout, a reset connection or its server error after the request went out may still
 * deliver the message). The message names the vendor's error code only: the vendor's own text may name the number.
 */
export class SmsSendError extends Error {
  constructor(
    public readonly refusal: "phone" | "unavailable",
    public readonly code: string,
    message: string,
    public readonly mayHaveSent: boolean,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}
