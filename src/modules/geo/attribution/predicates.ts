// The two orientation predicates the attribution engine can decide with, and the single-precision
// box rounding PostGIS applies before either.
//
// PostGIS answers ST_Covers(polygon, point) without GEOS: a winding-number test whose side of an
// edge is the plain double expression in `postgisSide` (determineSide in liblwgeom), and a point
// is on an edge only when that expression is exactly 0.0. That is not exact arithmetic: for a point
// within ~1e-15° of an edge the sign can be wrong. The engine reproduces it bit for bit by
// default, so that it agrees with the database on every point; `exactSide` is the mathematically
// exact sign (a floating-point filter, then BigInt arithmetic on the doubles' exact values) for
// callers that want geometry rather than agreement.

/**
 * The side of point p against the directed edge a → b, computed exactly as PostGIS does:
 * positive left, negative right, 0.0 on the line (or within rounding of it).
 */
export function postgisSide(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  return (bx - ax) * (py - ay) - (px - ax) * (by - ay)
}

// A bound on the rounding error of the six subtractions, two products and one difference above,
// relative to the sum of the products' magnitudes (Shewchuk's bound is (3 + 16ε)ε ≈ 3.33e-16).
const FILTER = 4e-16
// Below this the products may be subnormal and the relative bound no longer holds.
const TINY = 1e-290

/**
 * The exact sign (-1, 0, 1) of (b - a) × (p - a) for the exact rational values of the doubles.
 *
 * @example
 * exactSide(0, 0, 3, 3, 0.1, 0.1) // 0: the double 0.1 is on the line y = x
 */
export function exactSide(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const left = (bx - ax) * (py - ay)
  const right = (px - ax) * (by - ay)
  const det = left - right
  const sum = Math.abs(left) + Math.abs(right)
  if (sum > TINY && Math.abs(det) > FILTER * sum) return det > 0 ? 1 : -1
  if (sum === 0 && left === 0 && right === 0 && isExactZeroProducts(ax, ay, bx, by, px, py)) return 0
  return exactSideSlow(ax, ay, bx, by, px, py)
}

// Both products rounded to zero: exact only when a factor of each is exactly zero.
function isExactZeroProducts(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return (bx === ax || py === ay) && (px === ax || by === ay)
}

const view = new DataView(new ArrayBuffer(8))

/** A finite double as mantissa × 2^exponent, both exact. */
function decompose(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 }
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e = -1074
  if (biased !== 0) {
    m |= 1n << 52n
    e = biased - 1075
  }
  return { m: hi >>> 31 ? -m : m, e }
}

function exactSideSlow(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const parts = [ax, ay, bx, by, px, py].map(decompose)
  let low = Infinity
  for (const p of parts) if (p.m !== 0n && p.e < low) low = p.e
  if (low === Infinity) return 0
  const [a, b, c, d, e, f] = parts.map((p) => p.m << BigInt(p.e - low)) as [bigint, bigint, bigint, bigint, bigint, bigint]
  const s = (c - a) * (f - b) - (e - a) * (d - b)
  return s > 0n ? 1 : s < 0n ? -1 : 0
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)
const FLT_MAX = 3.4028234663852886e38

/** The largest single-precision value ≤ d (PostGIS's next_float_down, used for stored boxes). */
export function floatDown(d: number): number {
  if (d > FLT_MAX) return FLT_MAX
  if (d <= -FLT_MAX) return -FLT_MAX
  const r = Math.fround(d)
  if (r <= d) return r
  return stepFloat(r, -1)
}

/** The smallest single-precision value ≥ d (PostGIS's next_float_up). */
export function floatUp(d: number): number {
  if (d >= FLT_MAX) return FLT_MAX
  if (d < -FLT_MAX) return -FLT_MAX
  const r = Math.fround(d)
  if (r >= d) return r
  return stepFloat(r, 1)
}

// The neighbouring single-precision value of a finite float r, towards +∞ (dir 1) or -∞ (-1).
function stepFloat(r: number, dir: 1 | -1): number {
  if (r === 0) return dir * 1.401298464324817e-45
  f32[0] = r
  const away = (r > 0) === (dir > 0)
  u32[0] = away ? u32[0]! + 1 : u32[0]! - 1
  return f32[0]
}
