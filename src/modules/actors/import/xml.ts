// A small, strict XML reader for the importers. It reads a whole document into a tree of elements
// and text, and refuses what an importer must never act on: any DTD (<!DOCTYPE>, <!ENTITY>, …),
// any entity other than the five XML predefines and character references, and any document that
// is not well formed (unclosed or mismatched tags, text after the root, a file cut short). Nothing
// is ever expanded, so "billion laughs" and external-entity files cost no more than their size.
// Errors are ImportFormatErrors located by line and column.
import { ImportFormatError } from '../actors.types.ts'

export type XmlElement = {
  name: string
  attributes: Record<string, string>
  /** Elements and text, in document order; adjacent text is one string. */
  children: (XmlElement | string)[]
  /** Offset of the element's '<' in the document, for `XmlDocument.position`. */
  offset: number
}

export type XmlDocument = {
  root: XmlElement
  /** Line and column (both from 1) of an offset, e.g. an element's. */
  position(offset: number): { line: number; column: number }
}

/** Deeper nesting than this is refused rather than walked (no real list comes close). */
export const MAX_XML_DEPTH = 256

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
// XML names, a little wider than the specification's lists (any letter, mark or digit after the first).
const NAME = /[\p{L}_:][\p{L}\p{M}\p{N}_:.\-\u00B7]*/uy
const SPACE = /[ \t\n]*/y
// Characters XML 1.0 forbids anywhere in a document (lone surrogates cannot come out of the UTF-8
// decoder; a string handed in directly is trusted on that point).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/
const DECLARATIONS = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i

/** Parses a whole XML document. Bytes must be UTF-8 (or UTF-16 with a byte-order mark). */
export function parseXml(input: string | Buffer): XmlDocument {
  const text = decode(input).replace(/\r\n?/g, '\n')
  const position = (offset: number) => positionIn(text, offset)
  const fail = (code: string, offset: number, message: string): never => {
    const { line, column } = position(offset)
    throw new ImportFormatError(code, `line ${line}, column ${column}`, message)
  }
  const forbidden = FORBIDDEN.exec(text)
  if (forbidden) fail('malformed_xml', forbidden.index, `character U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`)

  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const readName = (at: number, what: string): string => {
    NAME.lastIndex = at
    const m = NAME.exec(text)
    if (!m) return fail('malformed_xml', at, at >= text.length ? `the file ends where ${what} was expected (truncated?)` : `expected ${what}`)
    return m[0]
  }
  const skipSpace = (at: number): number => {
    SPACE.lastIndex = at
    SPACE.exec(text)
    return SPACE.lastIndex
  }
  const addText = (value: string) => {
    const parent = stack[stack.length - 1]
    if (!parent) return
    const last = parent.children.length - 1
    if (typeof parent.children[last] === 'string') parent.children[last] += value
    else parent.children.push(value)
  }
  // Text and attribute values: the five predefined entities and character references only.
  const unescape = (raw: string, at: number): string => {
    if (!raw.includes('&')) return raw
    let out = ''
    let from = 0
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      out += raw.slice(from, amp)
      const semi = raw.indexOf(';', amp)
      const ref = semi === -1 ? '' : raw.slice(amp + 1, semi)
      if (ref.startsWith('#')) {
        const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN
        if (!isXmlChar(code)) fail('malformed_xml', at + amp, `&${ref}; is not a character XML allows`)
        out += String.fromCodePoint(code)
      } else if (ref in PREDEFINED) {
        out += PREDEFINED[ref]
      } else if (/^[A-Za-z_][\w.-]*$/.test(ref)) {
        fail('xml_entities_refused', at + amp, `entity reference &${ref}; refused: entities are never expanded (only &lt; &gt; &amp; &quot; &apos; and character references are read)`)
      } else {
        fail('malformed_xml', at + amp, "a bare '&' must be written &amp;")
      }
      from = semi + 1
    }
    return out + raw.slice(from)
  }

  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const chunk = text.slice(i, lt === -1 ? text.length : lt)
    if (chunk.length > 0) {
      if (stack.length === 0) {
        if (chunk.trim() !== '') fail('malformed_xml', i + chunk.search(/\S/), root ? 'text after the root element' : 'text before the root element')
      } else {
        addText(unescape(chunk, i))
      }
    }
    if (lt === -1) break
    i = lt
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4)
      if (end === -1) fail('malformed_xml', i, 'comment not closed (truncated?)')
      i = end + 3
    } else if (text.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('malformed_xml', i, 'CDATA outside the root element')
      const end = text.indexOf(']]>', i + 9)
      if (end === -1) fail('malformed_xml', i, 'CDATA section not closed (truncated?)')
      addText(text.slice(i + 9, end))
      i = end + 3
    } else if (text.startsWith('<!', i)) {
      const decl = DECLARATIONS.exec(text.slice(i, i + 12))
      if (decl) fail('xml_entities_refused', i, `<!${decl[1]!.toUpperCase()}> refused: documents with a DTD or entity declarations are not read`)
      fail('malformed_xml', i, "unexpected '<!'")
    } else if (text.startsWith('<?', i)) {
      const target = readName(i + 2, 'a processing instruction name')
      if (target.toLowerCase() === 'xml' && i !== (text.charCodeAt(0) === 0xfeff ? 1 : 0)) fail('malformed_xml', i, 'the XML declaration must come first')
      const end = text.indexOf('?>', i + 2)
      if (end === -1) fail('malformed_xml', i, 'processing instruction not closed (truncated?)')
      i = end + 2
    } else if (text.startsWith('</', i)) {
      const name = readName(i + 2, 'an element name')
      const close = skipSpace(i + 2 + name.length)
      if (text[close] !== '>') fail('malformed_xml', close, close >= text.length ? `the file ends inside </${name}> (truncated?)` : `expected '>' to close </${name}>`)
      const open = stack.pop()
      if (!open) fail('malformed_xml', i, `</${name}> closes nothing`)
      else if (open.name !== name) fail('malformed_xml', i, `</${name}> does not match <${open.name}> opened at line ${position(open.offset).line}`)
      i = close + 1
    } else {
      if (stack.length === 0 && root) fail('malformed_xml', i, 'a second root element')
      const name = readName(i + 1, 'an element name')
      const element: XmlElement = { name, attributes: {}, children: [], offset: i }
      let at = i + 1 + name.length
      for (;;) {
        const next = skipSpace(at)
        if (text.startsWith('/>', next) || text[next] === '>') { at = next; break }
        if (next >= text.length) fail('malformed_xml', next, `the file ends inside <${name}> (truncated?)`)
        if (next === at) fail('malformed_xml', next, `expected whitespace, '>' or '/>' in <${name}>`)
        const attr = readName(next, 'an attribute name')
        let eq = skipSpace(next + attr.length)
        if (text[eq] !== '=') fail('malformed_xml', eq, `attribute ${attr} has no value`)
        eq = skipSpace(eq + 1)
        const quote = text[eq]
        if (quote !== '"' && quote !== "'") fail('malformed_xml', eq, `the value of ${attr} must be quoted`)
        const end = text.indexOf(quote!, eq + 1)
        if (end === -1) fail('malformed_xml', eq, `the value of ${attr} is not closed (truncated?)`)
        const raw = text.slice(eq + 1, end)
        const bad = raw.indexOf('<')
        if (bad !== -1) fail('malformed_xml', eq + 1 + bad, `'<' in the value of ${attr}`)
        if (Object.hasOwn(element.attributes, attr)) fail('malformed_xml', next, `attribute ${attr} appears twice`)
        element.attributes[attr] = unescape(raw.replace(/[\t\n]/g, ' '), eq + 1)
        at = end + 1
      }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else root = element
      if (text[at] === '>') {
        if (stack.length >= MAX_XML_DEPTH) fail('malformed_xml', i, `elements nested deeper than ${MAX_XML_DEPTH}`)
        stack.push(element)
        i = at + 1
      } else {
        i = at + 2
      }
    }
  }
  const open = stack[stack.length - 1]
  if (open) fail('malformed_xml', text.length, `the file ends inside <${open.name}> opened at line ${position(open.offset).line} (truncated?)`)
  if (!root) fail('malformed_xml', text.length, 'no root element')
  return { root: root!, position }
}

/** The element children of `element`, optionally only those named `name`. */
export function elements(element: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = []
  for (const c of element.children) if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c)
  return out
}

/** The first element child named `name`, if any. */
export function element(parent: XmlElement, name: string): XmlElement | undefined {
  for (const c of parent.children) if (typeof c !== 'string' && c.name === name) return c
  return undefined
}

/** All text inside an element, its descendants' included, in document order. */
export function textOf(element: XmlElement): string {
  let out = ''
  const todo: (XmlElement | string)[] = [element]
  while (todo.length > 0) {
    const next = todo.pop()!
    if (typeof next === 'string') out += next
    else for (let k = next.children.length - 1; k >= 0; k--) todo.push(next.children[k]!)
  }
  return out
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
}

function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++
    lineStart = k + 1
  }
  return { line, column: offset - lineStart + 1 }
}

function decode(input: string | Buffer): string {
  if (typeof input === 'string') return input
  if (input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(input)
  if (input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(input)
  const head = input.subarray(0, 200).toString('latin1')
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1]
  if (declared && !/^utf-?8$/i.test(declared)) {
    throw new ImportFormatError('malformed_xml', 'line 1, column 1', `encoding ${declared} is not read; save the file as UTF-8`)
  }
  const bad = firstInvalidUtf8(input)
  if (bad !== -1) {
    const before = input.subarray(0, bad).toString('utf8')
    const { line, column } = positionIn(before, before.length)
    const cut = bad >= input.length - 3 && utf8Length(input[bad]!) > input.length - bad
    throw new ImportFormatError('malformed_xml', `line ${line}, column ${column}`, cut ? 'the file ends inside a character (truncated?)' : 'not valid UTF-8')
  }
  return input.toString('utf8')
}

function utf8Length(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let k = 0; k < bytes.length;) {
    const lead = bytes[k]!
    if (lead < 0x80) { k++; continue }
    const n = utf8Length(lead)
    if (n === 0 || k + n > bytes.length) return k
    const second = bytes[k + 1]!
    // Overlong forms and surrogates are excluded by the second byte's range.
    const lo = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80
    const hi = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf
    if (second < lo || second > hi) return k
    for (let c = 2; c < n; c++) if ((bytes[k + c]! & 0xc0) !== 0x80) return k
    k += n
  }
  return -1
}
