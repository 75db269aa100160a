// The XML reader: what it reads, and every way a file is refused, with the code and the place.
import { describe, expect, it } from 'vitest'
import { ImportFormatError } from '../actors.types.ts'
import { element, elements, MAX_XML_DEPTH, parseXml, textOf } from './xml.ts'

const thrown = (f: () => unknown): ImportFormatError => {
  try { f() } catch (e) { if (e instanceof ImportFormatError) return e; throw e }
  throw new Error('expected an ImportFormatError')
}

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, references and positions', () => {
    const doc = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- list -->\n<A x="1 &amp; 2" y=\'&#x41;\'>\n  <B>t&lt;&#233;<![CDATA[<raw> & ]]></B><C/>\n</A>\n')
    expect(doc.root.name).toBe('A')
    expect(doc.root.attributes).toEqual({ x: '1 & 2', y: 'A' })
    const b = element(doc.root, 'B')!
    expect(textOf(b)).toBe('t<é<raw> & ')
    expect(elements(doc.root).map((e) => e.name)).toEqual(['B', 'C'])
    expect(doc.position(b.offset)).toEqual({ line: 4, column: 3 })
  })

  it('reads UTF-8 bytes with a byte-order mark and CRLF line ends, and UTF-16 with one', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<A>\r\n<B>جبهة</B>\r\n</A>', 'utf8')])
    const doc = parseXml(utf8)
    expect(textOf(element(doc.root, 'B')!)).toBe('جبهة')
    expect(doc.position(element(doc.root, 'B')!.offset)).toEqual({ line: 2, column: 1 })
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<A>Джебхат</A>', 'utf16le')])
    expect(textOf(parseXml(utf16).root)).toBe('Джебхат')
  })

  describe('refuses DTDs and entities (never expanding anything)', () => {
    it('a DOCTYPE, with the line and column of its "<!"', () => {
      const e = thrown(() => parseXml('<?xml version="1.0"?>\n<!DOCTYPE A>\n<A/>'))
      expect(e.code).toBe('xml_entities_refused')
      expect(e.where).toBe('line 2, column 1')
    })

    it('the billion laughs, at once and without expanding it', () => {
      const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, k) => ` <!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`), ']>', '<lolz>&lol9;</lolz>'].join('\n')
      const started = performance.now()
      expect(thrown(() => parseXml(lol)).code).toBe('xml_entities_refused')
      expect(performance.now() - started).toBeLessThan(1000)
    })

    it('an external entity (XXE)', () => {
      const e = thrown(() => parseXml('<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<foo>&xxe;</foo>'))
      expect(e.code).toBe('xml_entities_refused')
    })

    it('an entity declaration inside the document', () => {
      expect(thrown(() => parseXml('<A>\n  <!ENTITY x "y">\n</A>')).where).toBe('line 2, column 3')
    })

    it('a reference to an entity that is not one of the five predefined', () => {
      const e = thrown(() => parseXml('<A>\n<B>x &nbsp; y</B></A>'))
      expect(e.code).toBe('xml_entities_refused')
      expect(e.where).toBe('line 2, column 6')
      expect(thrown(() => parseXml('<A b="&ext;"/>')).code).toBe('xml_entities_refused')
    })
  })

  describe('refuses malformed XML, saying where', () => {
    const cases: [string, string, string, RegExp][] = [
      ['a file cut short inside an element', '<A>\n  <B>text', 'line 2, column 10', /ends inside <B>.*truncated/],
      ['a file cut short inside a tag', '<A>\n<B x="1"', 'line 2, column 9', /truncated/],
      ['a file cut short inside an attribute value', '<A>\n<B x="1', 'line 2, column 6', /not closed/],
      ['a file cut short inside a comment', '<A><!-- no end', 'line 1, column 4', /comment not closed/],
      ['mismatched tags', '<A>\n<B></C>\n</A>', 'line 2, column 4', /<\/C> does not match <B> opened at line 2/],
      ['a close tag that closes nothing', '<A/></A>', 'line 1, column 5', /closes nothing|a second root|text after/],
      ['two root elements', '<A/>\n<B/>', 'line 2, column 1', /second root/],
      ['text after the root', '<A/>\nmore', 'line 2, column 1', /text after the root/],
      ['text before the root', 'junk<A/>', 'line 1, column 1', /text before the root/],
      ['a bare ampersand', '<A>R&D</A>', 'line 1, column 5', /&amp;/],
      ['a character reference XML forbids', '<A>&#0;</A>', 'line 1, column 4', /not a character/],
      ['an unquoted attribute', '<A x=1/>', 'line 1, column 6', /quoted/],
      ['a duplicate attribute', '<A x="1" x="2"/>', 'line 1, column 10', /twice/],
      ['a control character', '<A>\u0001</A>', 'line 1, column 4', /not allowed/],
      ['an XML declaration that is not first', '<A/>\n<?xml version="1.0"?>', 'line 2, column 1', /must come first/],
      ['an empty file', '', 'line 1, column 1', /no root element/],
    ]
    it.each(cases)('%s', (_what, xml, where, message) => {
      const e = thrown(() => parseXml(xml))
      expect(e.code).toBe('malformed_xml')
      expect(e.where).toBe(where)
      expect(e.message).toMatch(message)
    })

    it('bytes that are not UTF-8, and a file cut inside a character', () => {
      const bad = thrown(() => parseXml(Buffer.from([...Buffer.from('<A>\nab'), 0xff, ...Buffer.from('</A>')])))
      expect([bad.code, bad.where]).toEqual(['malformed_xml', 'line 2, column 3'])
      const cut = thrown(() => parseXml(Buffer.from('<A>جبهة').subarray(0, -1)))
      expect(cut.message).toMatch(/ends inside a character/)
    })

    it('a declared encoding other than UTF-8', () => {
      expect(thrown(() => parseXml(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><A/>'))).message).toMatch(/ISO-8859-1/)
    })

    it(`nesting deeper than ${MAX_XML_DEPTH}`, () => {
      const deep = '<A>'.repeat(MAX_XML_DEPTH + 1) + '</A>'.repeat(MAX_XML_DEPTH + 1)
      expect(thrown(() => parseXml(deep)).message).toMatch(/nested deeper/)
      expect(parseXml('<A>'.repeat(MAX_XML_DEPTH) + '</A>'.repeat(MAX_XML_DEPTH)).root.name).toBe('A')
    })
  })
})
