// The exact orientation predicate against BigInt arithmetic on near-degenerate inputs, where the
// double expression PostGIS uses gets the sign wrong; and the single-precision box rounding.
import { describe, expect, it } from 'vitest'
import { exactSide, floatDown, floatUp, postgisSide } from './predicates.ts'
import { seeded } from './synthetic.ts'

// The exact sign by BigInt on coordinates scaled by 2^60 (valid for |v| ≥ 2^-8 or 0).
function reference(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const [a, b, c, d, e, f] = [ax, ay, bx, by, px, py].map((v) => BigInt(v * 2 ** 60)) as [bigint, bigint, bigint, bigint, bigint, bigint]
  const s = (c - a) * (f - b) - (e - a) * (d - b)
  return s > 0n ? 1 : s < 0n ? -1 : 0
}

describe('exactSide', () => {
  it('is exact where the double expression is not', () => {
    const random = seeded(11)
    let disagreements = 0
    for (let i = 0; i < 20_000; i++) {
      const ax = 35 + random() * 7, ay = 32 + random() * 5, bx = 35 + random() * 7, by = 32 + random() * 5
      const t = random()
      // Along the edge, within rounding of it, and a few ulps either side.
      const px = ax + t * (bx - ax) + (i % 3 === 0 ? (random() - 0.5) * 1e-14 : 0)
      const py = ay + t * (by - ay)
      const want = reference(ax, ay, bx, by, px, py)
      expect(exactSide(ax, ay, bx, by, px, py)).toBe(want)
      if (Math.sign(postgisSide(ax, ay, bx, by, px, py)) !== want) disagreements++
    }
    // The reason the engine offers PostGIS's arithmetic: it differs from exact for
    // about 1 in 100 of these points.
    expect(disagreements).toBeGreaterThan(100)
  })

  it('is 0 exactly on the line, including for the double nearest 0.1', () => {
    expect(exactSide(0, 0, 3, 3, 0.1, 0.1)).toBe(0)
    expect(exactSide(36, 33, 37, 34, 36.5, 33.5)).toBe(0)
    expect(exactSide(36, 33, 37, 33, 40, 33)).toBe(0)
    expect(exactSide(0, 0, 0, 0, 1, 1)).toBe(0)
    expect(exactSide(36, 33, 37, 34, 36.5, 33.50000000000001)).toBe(1)
    // Products that underflow to 0 in doubles.
    const t = 2 ** -1000
    expect(exactSide(t, 0, 2 * t, t, 3 * t, 2 * t)).toBe(0)
    expect(exactSide(t, 0, 2 * t, t, 3 * t, 2 * t * (1 + 2 ** -52))).toBe(1)
    expect(exactSide(t, 0, 2 * t, t, 3 * t, 2 * t * (1 - 2 ** -52))).toBe(-1)
  })
})

const bits = new Float32Array(1)
const word = new Uint32Array(bits.buffer)
// The next single-precision value above a nonzero float.
function nextFloat(f: number): number {
  bits[0] = f
  word[0] = f > 0 ? word[0]! + 1 : word[0]! - 1
  return bits[0]
}

describe('floatDown / floatUp', () => {
  it('bracket a double by the nearest single-precision values, as PostGIS stores boxes', () => {
    const random = seeded(3)
    for (let i = 0; i < 10_000; i++) {
      const d = (random() - 0.5) * 400
      const lo = floatDown(d), hi = floatUp(d)
      expect(Math.fround(lo)).toBe(lo)
      expect(Math.fround(hi)).toBe(hi)
      expect(lo <= d && d <= hi).toBe(true)
      if (Math.fround(d) === d) expect(lo === d && hi === d).toBe(true)
      else expect(nextFloat(lo)).toBe(hi)
    }
    expect(floatDown(0)).toBe(0)
    expect(floatUp(-1e-50)).toBe(-0)
    expect(floatDown(1e-50)).toBe(0)
    expect(floatUp(1e-50)).toBe(1.401298464324817e-45)
  })
})
