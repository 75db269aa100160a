// Death tolls read from descriptions in the four languages reports come in: the figure next to a
// word for killed or dead, not the injured count beside it.
import { describe, expect, it } from 'vitest'
import { deathTolls } from './tolls.ts'

describe('deathTolls', () => {
  it('reads the killed figure and leaves the injured one out, in English, French, Arabic and Russian', () => {
    expect(deathTolls('Shelling on Kafr Hamra: 4 killed, 3 injured.')).toEqual([4])
    expect(deathTolls('Bombardement sur Kafr Hamra : 5 morts et 3 blessés.')).toEqual([5])
    expect(deathTolls('قصف مدفعي على كفر حمرة أسفر عن مقتل ٤ أشخاص وإصابة ٣')).toEqual([4])
    expect(deathTolls('Обстрел в районе Кафр Хамра: погибли 2 человек, ранены 6.')).toEqual([2])
  })

  it('finds the figure before or after its word, a few words away', () => {
    expect(deathTolls('SAA hit Hreitan, killing 3 fighters.')).toEqual([3])
    expect(deathTolls('3 people were killed in a shelling in Hreitan.')).toEqual([3])
    expect(deathTolls('Авиаудар по Алеппо, 7 погибших.')).toEqual([7])
    expect(deathTolls("2 tués lors d'une explosion à Darayya.")).toEqual([2])
  })

  it('reads no toll from figures that are not one', () => {
    expect(deathTolls('Shelling on Hreitan, 12 shells, 4 wounded.')).toEqual([])
    expect(deathTolls('Explosion in Darayya, no word on casualties.')).toEqual([])
  })
})
