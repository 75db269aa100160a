// Which report categories can describe one event. Sources see the same event differently: a
// shell's impact is heard as an explosion, a drone strike is reported as an airstrike, a clash is
// gunfire to one witness and an assault to another, and harm to civilians or to a protected site is
// what any attack may also be. So categories are compared by family, not for equality.
import { CATEGORIES, type Category } from '../incidents.types.ts'

/** Two categories one event is often reported under. */
export const COMPATIBLE = 0.7
/** An outcome (harm to civilians, to a protected site, to aid workers) against the act that caused it. */
export const OUTCOME = 0.45
/** Two kinds of event that are rarely one. */
export const UNRELATED = 0

const FAMILIES: readonly (readonly Category[])[] = [
  ['shelling', 'explosion', 'heavy_weapons_in_zone'],
  ['airstrike', 'drone_strike', 'explosion'],
  ['ground_attack', 'small_arms'],
  ['shelling', 'ground_attack'],
  ['monitor_restriction', 'aid_obstruction'],
  ['attack_on_protected_site', 'attack_on_humanitarian', 'civilian_harm'],
]
const OUTCOMES: readonly Category[] = ['attack_on_protected_site', 'attack_on_humanitarian', 'civilian_harm']
const ACTS: readonly Category[] = ['shelling', 'airstrike', 'drone_strike', 'ground_attack', 'small_arms', 'explosion']

const n = CATEGORIES.length
const table = new Float64Array(n * n)
const at = (c: Category) => CATEGORIES.indexOf(c)
for (let i = 0; i < n; i++) table[i * n + i] = 1
const set = (a: Category, b: Category, v: number) => {
  const i = at(a), j = at(b)
  if (i === j) return
  table[i * n + j] = Math.max(table[i * n + j]!, v)
  table[j * n + i] = Math.max(table[j * n + i]!, v)
}
for (const outcome of OUTCOMES) for (const act of ACTS) set(outcome, act, OUTCOME)
for (const family of FAMILIES) for (const a of family) for (const b of family) set(a, b, COMPATIBLE)
// Aid obstructed at a checkpoint is also an attack on aid when it is done by force.
set('aid_obstruction', 'attack_on_humanitarian', OUTCOME)

/** The position of a category in CATEGORIES, for the table. */
export const categoryIndex = (c: Category): number => {
  const i = at(c)
  if (i < 0) throw new TypeError(`unknown category ${c}`)
  return i
}

/** How well two categories (by index) can describe one event: 1 same, 0.7 compatible, 0.45 act and outcome, 0 unrelated. */
export const categoryCompatibilityAt = (i: number, j: number): number => table[i * n + j]!

/**
 * How well two categories can describe one event.
 * @example categoryCompatibility('airstrike', 'drone_strike') // 0.7
 * @example categoryCompatibility('shelling', 'aid_obstruction') // 0
 */
export function categoryCompatibility(a: Category, b: Category): number {
  return categoryCompatibilityAt(categoryIndex(a), categoryIndex(b))
}
