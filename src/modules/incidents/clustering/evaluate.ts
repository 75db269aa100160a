// Pairwise clustering quality: of the pairs of reports put in one incident, how many report one
// event (precision); of the pairs that report one event, how many were put in one incident
// (recall). Pairs, not clusters, because an incident of five reports wrongly joined by a sixth is
// five wrong pairs, not one wrong incident.

export type PairwiseQuality = {
  /** Pairs of reports of one true event. */
  truePairs: number
  /** Pairs of reports in one predicted incident. */
  predictedPairs: number
  /** Pairs that are both. */
  correctPairs: number
  precision: number
  recall: number
  f1: number
}

const pairs = (n: number) => (n * (n - 1)) / 2

/**
 * Pairwise precision, recall and F1 of a clustering against the truth, both given as one label
 * per report (same index, same report).
 *
 * @example pairwiseQuality(['e1', 'e1', 'e2'], ['i1', 'i1', 'i1']) // precision 1/3, recall 1
 */
export function pairwiseQuality(truth: readonly string[], predicted: readonly string[]): PairwiseQuality {
  if (truth.length !== predicted.length) throw new RangeError('one label per report on both sides')
  const trueSizes = new Map<string, number>()
  const predictedSizes = new Map<string, number>()
  const both = new Map<string, number>()
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!, p = predicted[i]!
    trueSizes.set(t, (trueSizes.get(t) ?? 0) + 1)
    predictedSizes.set(p, (predictedSizes.get(p) ?? 0) + 1)
    const k = `${t}\u0000${p}`
    both.set(k, (both.get(k) ?? 0) + 1)
  }
  let truePairs = 0, predictedPairs = 0, correctPairs = 0
  for (const n of trueSizes.values()) truePairs += pairs(n)
  for (const n of predictedSizes.values()) predictedPairs += pairs(n)
  for (const n of both.values()) correctPairs += pairs(n)
  const precision = predictedPairs ? correctPairs / predictedPairs : 1
  const recall = truePairs ? correctPairs / truePairs : 1
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 }
}
