import { describe, expect, it } from 'vitest'
import { pairwiseQuality } from './evaluate.ts'

describe('pairwiseQuality', () => {
  it('counts pairs of reports, not clusters', () => {
    // Truth: {0,1,2} {3}; predicted: {0,1} {2,3}. True pairs 3, predicted 2, correct 1.
    const q = pairwiseQuality(['e1', 'e1', 'e1', 'e2'], ['i1', 'i1', 'i2', 'i2'])
    expect(q).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1, precision: 0.5 })
    expect(q.recall).toBeCloseTo(1 / 3, 10)
    expect(q.f1).toBeCloseTo(0.4, 10)
  })

  it('is perfect on the truth itself, and precise when nothing is merged', () => {
    expect(pairwiseQuality(['a', 'a', 'b'], ['x', 'x', 'y'])).toMatchObject({ precision: 1, recall: 1, f1: 1 })
    expect(pairwiseQuality(['a', 'a'], ['x', 'y'])).toMatchObject({ precision: 1, recall: 0 })
    expect(() => pairwiseQuality(['a'], [])).toThrow(RangeError)
  })
})
