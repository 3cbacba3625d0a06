// The address book's length limits, shared by the server's rules and the shop's form (no server imports).
export const ADDRESS_LIMITS = { name: 20, region: 60, detail: 120 } as const;

/** Characters as a shopper counts them: a rare hanzi or an emoji outside the BMP is one, not two. */
export const charCount = (s: string) => Array.from(s).length;
