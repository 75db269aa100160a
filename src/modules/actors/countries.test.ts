// Countries of operation: which codes are ISO 3166-1 alpha-2, and which names sources write are
// read as which code (the UN's formal names and abbreviations included), and which are not.
import { describe, expect, it } from 'vitest'
import { countryCode, countryName, isCountryCode, ISO_COUNTRY_CODES } from './countries.ts'

describe('ISO 3166-1 alpha-2 codes', () => {
  it('are the 249 assigned codes, each with an English name', () => {
    expect(ISO_COUNTRY_CODES.size).toBe(249)
    for (const code of ISO_COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/)
      expect(countryName(code), code).not.toBe(code)
    }
  })

  it('leave out user-assigned and reserved codes, lower case and three letters', () => {
    for (const code of ['SY', 'UA', 'RU', 'TR', 'SS']) expect(isCountryCode(code), code).toBe(true)
    for (const code of ['XK', 'EU', 'UN', 'ZZ', 'AA', 'sy', 'SYR', 'S', '']) expect(isCountryCode(code), code).toBe(false)
  })
})

describe('countryCode', () => {
  it('reads the names the UN list and UCDP write, formal, short, abbreviated or in capitals', () => {
    const cases: [string, string][] = [
      ['Syria', 'SY'], ['Syrian Arab Republic', 'SY'], ['syrian arab republic', 'SY'],
      ['Iran (Islamic Republic of)', 'IR'], ['IRAN', 'IR'], ['Russian Federation', 'RU'],
      ['DPRK', 'KP'], ["Democratic People's Republic of Korea", 'KP'], ['Republic of Korea', 'KR'],
      ['DRC', 'CD'], ['Democratic Republic of the Congo', 'CD'], ['Congo', 'CG'],
      ['Ivory Coast', 'CI'], ["Côte d'Ivoire", 'CI'], ['Cote d’Ivoire', 'CI'],
      ['UAE', 'AE'], ['UK', 'GB'], ['USA', 'US'], ['United States of America', 'US'],
      ['The Netherlands', 'NL'], ['Bosnia and Herzegovina', 'BA'], ['Libyan Arab Jamahiriya', 'LY'], ['Union of the Comoros', 'KM'],
      ['Tanzania', 'TZ'], ['Niger', 'NE'], ['Nigeria', 'NG'], ['Sudan', 'SD'], ['South Sudan', 'SS'], ['Turkey', 'TR'], ['Türkiye', 'TR'],
      ['Ukraine', 'UA'], ['Khazakhstan', 'KZ'],
    ]
    for (const [name, code] of cases) expect(countryCode(name), name).toBe(code)
  })

  it('reads no name it cannot be sure of', () => {
    for (const name of ['Korea', 'Guinea-ish', 'Support network in Iraq', 'Branch Office 11: Iran', 'Levant', '', 'SY']) expect(countryCode(name), name).toBeNull()
  })
})
