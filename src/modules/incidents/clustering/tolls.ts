// The death tolls a description states, in the languages reports come in: the figures next to a
// word for killed or dead ("4 killed", "killing 4", "4 morts", "مقتل ٤", "погибли 4"), not those
// next to a word for injured ("3 wounded", "3 blessés", "وإصابة ٣", "ранены 3"). Two reports of one
// event give tolls near each other, and two neighbouring events' tolls are told apart by them; an
// injured count, which sources give far more loosely, would only blur that, so it is left out.
import { foldText } from '../../actors/matching/normalize.ts'

const WORDS = /[\p{L}\p{N}\p{M}]+/gu
const DIGITS = /^\p{Nd}+$/u

/** Word beginnings for death (killed, dead, martyrs …) and injury, folded as the text is. */
const DEATH = ['kill', 'dead', 'death', 'died', 'martyr', 'mort', 'tue', 'tues', 'deces', 'погиб', 'убит', 'смерт'].map(foldText)
const INJURY = ['injur', 'wound', 'hurt', 'bless', 'ранен', 'ранит', 'пострадав'].map(foldText)
/** Arabic words carry a conjunction or article in front, so their stems are looked for inside the word. */
const DEATH_AR = ['قتل', 'قتيل', 'شهيد', 'شهداء', 'وفاه', 'موت'].map(foldText)
const INJURY_AR = ['اصاب', 'جرح', 'جريح'].map(foldText)
/** How many words away from its figure the word may be ("3 people were killed": three). */
const REACH = 3

type Kind = 'death' | 'injury' | null

function kindOf(word: string): Kind {
  const c = word.charCodeAt(0)
  if (c >= 0x600 && c <= 0x6ff) {
    if (DEATH_AR.some((s) => word.includes(s))) return 'death'
    if (INJURY_AR.some((s) => word.includes(s))) return 'injury'
    return null
  }
  if (DEATH.some((s) => word.startsWith(s))) return 'death'
  if (INJURY.some((s) => word.startsWith(s))) return 'injury'
  return null
}

/**
 * The death tolls stated in a description, in order: each figure whose nearest word for death or
 * injury (within three words, the one after it on a tie, as in "4 killed, 3 injured") is for death.
 *
 * @example deathTolls('Shelling on Kafr Hamra: 4 killed, 3 injured.') // [4]
 * @example deathTolls('قصف على كفر حمرة أسفر عن مقتل ٤ أشخاص وإصابة ٣') // [4]
 */
export function deathTolls(description: string): number[] {
  const words = foldText(description).match(WORDS) ?? []
  const kinds = words.map((w) => (DIGITS.test(w) ? null : kindOf(w)))
  const out: number[] = []
  for (let i = 0; i < words.length; i++) {
    if (!DIGITS.test(words[i]!)) continue
    let kind: Kind = null
    for (let d = 1; d <= REACH && kind === null; d++) kind = kinds[i + d] ?? kinds[i - d] ?? null
    if (kind === 'death') {
      const n = Number(words[i])
      if (!out.includes(n)) out.push(n)
    }
  }
  return out
}
