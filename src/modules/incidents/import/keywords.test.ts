// The weapon words: each rule on real UCDP headlines, the order when a text names several, and the
// words that must not count (bombardment, words that merely contain a keyword).
import { describe, expect, it } from 'vitest'
import { namesDrone, weaponCategory } from './keywords.ts'

describe('weaponCategory', () => {
  it.each([
    ['A drone targets a military commander in Idlib', 'drone_strike'],
    ['Syria: US UAV strike on a car', 'drone_strike'],
    ['6 casualties including children killed in airstrikes at Mardebseh', 'airstrike'],
    ['Warplane raids on Douma, Marj and regime forces target south of the capital', 'airstrike'],
    ['Helicopters drop barrel bombs on Daraya', 'airstrike'],
    ['Russian air-strike on a market', 'airstrike'],
    ['ISIS detonates two car bombs east of Palmyra', 'explosion'],
    ['A judge was assassinated with an IED explosion', 'explosion'],
    ['Soldiers killed by landmines in eastern Aleppo', 'explosion'],
    ['14 shells hit Dahya al-Assad an clashes continue', 'shelling'],
    ['Regime forces shelled Kafr Zita', 'shelling'],
    ['Mortar and rocket fire on Damascus', 'shelling'],
  ])('%s → %s', (text, category) => {
    expect(weaponCategory(text)).toBe(category)
  })

  it('takes the most specific weapon when a text names several: drone, aircraft, device, shelling', () => {
    expect(weaponCategory('Coalition warplanes and a drone struck Raqqa')).toBe('drone_strike')
    expect(weaponCategory('Warplanes shelled Kafr Nabl')).toBe('airstrike')
    expect(weaponCategory('Shelling and a car bomb in Azaz')).toBe('explosion')
  })

  it('leaves a text that names no weapon (bombardment, clashes, "Syria Daily Report") to the caller', () => {
    expect(weaponCategory('Bombardment targets Idlib and Hama')).toBeUndefined()
    expect(weaponCategory('Clashes on many fronts of Aleppo')).toBeUndefined()
    expect(weaponCategory('Syria Daily Report 07/02/2016')).toBeUndefined()
    // Keywords inside other words do not count.
    expect(weaponCategory('Fighters determine the jetty of Shellal; the Mortara family is safe')).toBeUndefined()
  })

  it('namesDrone says whether a text names a drone', () => {
    expect([namesDrone('an Israeli drone struck a car'), namesDrone('Russian jets struck Jisr al-Shughur')]).toEqual([true, false])
  })
})
