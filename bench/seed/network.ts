// A realistic referral network to seed (issue 14): who sponsored whom, in sign-up order. A few heavy
// sharers bring a large share of sign-ups, most come through an ordinary member (a long tail), 1% have
// no sponsor. Deterministic for a seed, so the one-by-one and the bulk path get the same network.

export interface NetworkPlan {
  /** sponsor[i] is the sponsor of member i + 1 (ids are 1-based, in sign-up order); 0 = no sponsor. */
  sponsor: Int32Array;
}

export function planNetwork(members: number, seed = 42): NetworkPlan {
  const sponsor = new Int32Array(members);
  let s = seed >>> 0 || 1;
  // xorshift32: fast and good enough to shape a network.
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let i = 1; i < members; i++) {
    const r = rnd();
    const heavy = Math.max(1, Math.ceil(i / 100));
    // 1% no sponsor; 25% through the top 1% of earlier members; the rest through anyone earlier.
    sponsor[i] = r < 0.01 ? 0 : r < 0.26 ? 1 + Math.floor(rnd() * heavy) : 1 + Math.floor(rnd() * i);
  }
  return { sponsor };
}
