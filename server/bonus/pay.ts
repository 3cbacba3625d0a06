import type { Ctx } from "../context";
import { postLedgerMany } from "../wallet/ledger";

export interface BonusPayment {
  /** The ledger transaction's key: each payment or top-up at most once. */
  key: string;
  memberId: number;
  amountFen: number;
}

/** A monthly bonus paid or topped up (SPEC §7): the merchant's bonus account to the member's available bucket. */
export async function postBonuses(ctx: Ctx, kind: "team_bonus" | "step_bonus", payments: BonusPayment[]): Promise<void> {
  await postLedgerMany(
    ctx,
    payments.map((p) => ({
      key: p.key,
      kind,
      legs: [
        { account: `merchant:${kind}` as const, amountFen: -p.amountFen },
        { member: p.memberId, bucket: "available" as const, amountFen: p.amountFen },
      ],
    })),
  );
}
