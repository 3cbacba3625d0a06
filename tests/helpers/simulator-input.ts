// A simulator form as a merchant fills it in validly (population, two categories, rule set B): the tests change
// one field at a time from it.
export const validSimulatorInput = {
  name: "试算",
  members: 1000,
  sharerPercent: 30,
  invitesPerSharer: 2.5,
  firstOrderPercent: 60,
  refundPercent: 5,
  repeatOrders: 1.5,
  horizonDays: 90,
  seed: 42,
  categories: [
    { category: "fmcg", price: "99", weight: 70 },
    { category: "digital", price: "599.00", weight: 30 },
  ],
  compare: true,
  l1: "10",
  l2: "5",
  l3: "2.5",
  rebateN: 3,
  rebatePercent: 100,
  rebateWindow: 30,
};
