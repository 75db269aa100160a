// RFC 8785 (JSON Canonicalization Scheme): the bytes a submission's hash covers must be the same
// on every server and in every verifier, so these are the RFC's own rules and examples.
import { describe, expect, it } from 'vitest'
import { canonicalize } from './canonical-json.ts'

describe('canonicalize (RFC 8785)', () => {
  it('matches the example of RFC 8785 §3.2.2', () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown
    expect(canonicalize(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`)
  })

  it('sorts keys by UTF-16 code units, as the RFC §3.2.3 example does (not by code point)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    const text = canonicalize(input)
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 in UTF-16 (by code
    // point it would come after). Object.keys would reorder "1", so read the order from the text.
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(`"${k}":`))
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true)
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}')
  })

  it('sorts Latin, Cyrillic and Arabic keys by code unit, and integer-like keys as strings', () => {
    const input = { 'يوم': 3, 'день': 2, 'day': 1, 'Day': 0, '10': 'ten', '9': 'nine', '': 'empty' }
    expect(canonicalize(input)).toBe('{"":"empty","10":"ten","9":"nine","Day":0,"day":1,"день":2,"يوم":3}')
  })

  it('writes numbers as ECMAScript does, with -0 as 0', () => {
    const cases: [number, string][] = [
      [0, '0'], [-0, '0'], [1, '1'], [-1, '-1'], [0.1, '0.1'], [0.1 + 0.2, '0.30000000000000004'],
      [1e21, '1e+21'], [999999999999999900000, '999999999999999900000'], [1e-7, '1e-7'], [0.000001, '0.000001'],
      [5e-324, '5e-324'], [-5e-324, '-5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'], [4.5, '4.5'], [2e-3, '0.002'], [123456789012345680000, '123456789012345680000'],
    ]
    for (const [n, text] of cases) expect(canonicalize(n), String(n)).toBe(text)
    expect(canonicalize({ z: -0 })).toBe('{"z":0}')
  })

  it('escapes only what JSON requires, with lowercase hex for other control characters', () => {
    expect(canonicalize('"\\/\b\f\n\r\t')).toBe('"\\"\\\\/\\b\\f\\n\\r\\t"')
    expect(canonicalize('\u0000\u001f\u007f')).toBe('"\\u0000\\u001f\u007f"')
    expect(canonicalize('سلام мир €😀')).toBe('"سلام мир €😀"')
  })

  it('canonicalizes nested arrays and objects at every depth, keeping array order', () => {
    const value = { b: [3, { y: [{ d: 1, c: 2 }], x: null }, []], a: { c: {}, b: [true, false] } }
    expect(canonicalize(value)).toBe('{"a":{"b":[true,false],"c":{}},"b":[3,{"x":null,"y":[{"c":2,"d":1}]},[]]}')
  })

  it('drops object members whose value is undefined', () => {
    expect(canonicalize({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}')
  })

  it('writes dates as ISO 8601 strings in UTC', () => {
    expect(canonicalize({ at: new Date('2016-02-26T22:00:00Z') })).toBe('{"at":"2016-02-26T22:00:00.000Z"}')
  })

  it('gives the same text for equal values built in different key orders', () => {
    const one = { agreementId: 'x', changes: [{ path: 'status', from: 'in_force', to: 'suspended' }], revision: 2 }
    const two = { revision: 2, changes: [{ to: 'suspended', from: 'in_force', path: 'status' }], agreementId: 'x' }
    expect(canonicalize(one)).toBe(canonicalize(two))
  })

  it('rejects NaN and the infinities, naming where they are', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(/^\$: NaN has no JSON form/)
    expect(() => canonicalize({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(/\$\.a\[1\]: Infinity has no JSON form/)
    expect(() => canonicalize({ b: { c: Number.NEGATIVE_INFINITY } })).toThrow(/\$\.b\.c: -Infinity has no JSON form/)
  })

  it('rejects values JSON cannot carry', () => {
    expect(() => canonicalize({ n: 10n })).toThrow(/\$\.n: a bigint has no JSON form/)
    expect(() => canonicalize({ f: () => 1 })).toThrow(/\$\.f: a function has no JSON form/)
    expect(() => canonicalize([undefined])).toThrow(/\$\[0\]/)
  })
})
