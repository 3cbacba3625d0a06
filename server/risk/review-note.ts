// A risk decision's note (SPEC §8), shared by the review (server/risk/review.ts) and the case page's dialog. Pure.

/** At most this many characters. */
export const REVIEW_NOTE_MAX = 200;
/** A reviewer's rejection voids money: it needs a reason of at least this many characters (an approval's is optional). */
export const REJECT_NOTE_MIN = 2;
