// The few words that tell, in a source's English text, what weapon an attack used: a drone, an air
// strike, an explosive device, or shelling. UCDP codes a state-based event without saying how it was
// fought, and ACLED's "Air/drone strike" does not say which; the headline or the notes often do.
//
// The rules are deliberately few, and the first that matches wins, most specific first:
//   drone_strike  drone(s), UAV(s), unmanned aerial
//   airstrike     air strike/raid (airstrike, air-strike), warplane(s), helicopter(s), barrel bomb(s), aircraft, jet(s)
//   explosion     IED(s), VBIED(s), improvised explosive, car bomb(s), explosive device(s), (land)mine(s), suicide bomber/bombing
//   shelling      shell(s/ed/ing), artillery, mortar(s), rocket(s), missile(s)
// "Bombardment" alone says nothing (SOHR writes it of shells and of aircraft), and text that names
// none of these leaves the category to the caller.
import type { Category } from '../incidents.types.ts'

export type WeaponCategory = Extract<Category, 'drone_strike' | 'airstrike' | 'explosion' | 'shelling'>

const RULES: [WeaponCategory, RegExp][] = [
  ['drone_strike', /\b(drones?|uavs?|unmanned aerial)\b/i],
  ['airstrike', /\b(air[ -]?(strikes?|raids?)|warplanes?|war planes?|helicopters?|barrel[ -]?bombs?|aircraft|jets?)\b/i],
  ['explosion', /\b(v?ieds?|improvised explosive|car[ -]?bombs?|explosive devices?|(land ?)?mines?|suicide bomb(er|ers|ing)?)\b/i],
  ['shelling', /\b(shell(s|ed|ing)?|artillery|mortars?|rockets?|missiles?)\b/i],
]

/**
 * The weapon a text clearly names, by the rules above, or undefined.
 *
 * @example
 * weaponCategory('Warplanes shelled Kafr Nabl') // 'airstrike'
 * weaponCategory('14 shells hit Dahya al-Assad') // 'shelling'
 * weaponCategory('Clashes on many fronts of Aleppo') // undefined
 */
export function weaponCategory(text: string): WeaponCategory | undefined {
  for (const [category, pattern] of RULES) if (pattern.test(text)) return category
  return undefined
}

/** Whether a text names a drone (ACLED's "Air/drone strike" is a drone strike when it does). */
export const namesDrone = (text: string): boolean => RULES[0]![1].test(text)
