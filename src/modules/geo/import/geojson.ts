// GeoJSON as a stream: a FeatureCollection of any size is read one feature at a time, with memory
// bounded by the largest feature rather than the file. A byte-level scanner follows the top-level
// object only (member names, and the elements of `features`), isolates each feature's bytes and
// hands them to JSON.parse; everything else about JSON is JSON.parse's job. A bare Feature or a
// bare geometry is read as a one-feature file. The CRS is known before the first feature: the
// legacy `crs` member if it comes first, EPSG:4326 (RFC 7946) if none does; one that comes after
// the features is refused rather than applied to features already handed out.
import { isUtf8 } from 'node:buffer'
import { tooLarge, type ReadLimits } from './bytes.ts'
import { crsFromMember, WGS84 } from './crs.ts'
import { GeoImportError, type Crs, type GeoImportErrorCode, type GeoImportWhere, type ParsedFeature } from './types.ts'
import { GEOMETRY_TYPES, validateGeometry } from './validate.ts'

export type GeoJsonLayer = {
  crs: Crs
  /** Features in file order, each validated; iterate to the end (or call return()) to close the source. */
  features: AsyncGenerator<ParsedFeature, void, undefined>
}

/** Deeper nesting than this inside one feature is refused (a polygon needs 4 levels). */
export const MAX_JSON_DEPTH = 64

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d
const NL = 0x0a, CR = 0x0d, TAB = 0x09, SPACE = 0x20
const BOM = [0xef, 0xbb, 0xbf]

const isSpace = (b: number) => b === SPACE || b === NL || b === CR || b === TAB
const isValueStart = (b: number) =>
  b === LBRACE || b === LBRACKET || b === QUOTE || b === 0x2d /* - */ || (b >= 0x30 && b <= 0x39) || b === 0x74 /* t */ || b === 0x66 /* f */ || b === 0x6e /* n */

/** Decodes and parses one isolated JSON value; a failure is `malformed_json` at `where`. */
export function parseJsonBytes(bytes: Uint8Array, where: GeoImportWhere): unknown {
  // isUtf8 then toString is several times faster than a fatal TextDecoder, and as strict.
  if (!isUtf8(bytes)) throw new GeoImportError('malformed_json', 'the text is not valid UTF-8', where)
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new GeoImportError('malformed_json', `not valid JSON (${(e as Error).message})`, where)
  }
}

type Lines = { line: number }

/** The bytes of one JSON value, gathered across chunks until its end is seen. */
class ValueBytes {
  readonly line: number
  private parts: Uint8Array[] = []
  private size = 0
  private open: number[] = []
  private started = false
  private inString = false
  private escaped = false
  private scalar = false

  constructor(line: number) {
    this.line = line
  }

  /** Takes bytes from `from`; returns the index just past the value if it ends in this chunk, else -1. */
  feed(chunk: Uint8Array, from: number, lines: Lines): number {
    let i = from
    if (!this.started) {
      this.started = true
      const b = chunk[i]!
      if (b === QUOTE) this.inString = true
      else if (b === LBRACE || b === LBRACKET) this.open.push(b)
      else this.scalar = true
      i++
    }
    // The hot loop of the whole reader: state in locals, written back whenever it stops.
    const open = this.open
    const scalar = this.scalar
    let inString = this.inString
    let escaped = this.escaped
    let line = lines.line
    let end = -1
    let error: string | undefined
    for (; i < chunk.length; i++) {
      const b = chunk[i]!
      if (inString) {
        if (escaped) escaped = false
        else if (b === QUOTE) {
          inString = false
          if (open.length === 0) { end = i + 1; break }
        } else if (b === BACKSLASH) escaped = true
        else if (b === NL) line++
      } else if (scalar) {
        if (isSpace(b) || b === COMMA || b === RBRACE || b === RBRACKET) { end = i; break }
      } else if (b === QUOTE) {
        inString = true
      } else if (b === LBRACE || b === LBRACKET) {
        if (open.length >= MAX_JSON_DEPTH) { error = `nested deeper than ${MAX_JSON_DEPTH} levels`; break }
        open.push(b)
      } else if (b === RBRACE || b === RBRACKET) {
        const opened = open.pop()
        if (opened !== (b === RBRACE ? LBRACE : LBRACKET)) {
          error = `'${String.fromCharCode(b)}' does not close ${opened === undefined ? 'anything' : `'${String.fromCharCode(opened)}'`}`
          break
        }
        if (open.length === 0) { end = i + 1; break }
      } else if (b === NL) line++
    }
    this.inString = inString
    this.escaped = escaped
    lines.line = line
    if (error !== undefined) throw new GeoImportError('malformed_json', error, { line })
    if (end >= 0) return this.keep(chunk, from, end)
    // A copy: the value outlives this chunk, and a source may reuse its buffer for the next one.
    this.keep(chunk, from, chunk.length, true)
    return -1
  }

  private keep(chunk: Uint8Array, from: number, to: number, copy = false): number {
    if (to > from) {
      this.parts.push(copy ? Uint8Array.prototype.slice.call(chunk, from, to) : chunk.subarray(from, to))
      this.size += to - from
    }
    return to
  }

  bytes(): Uint8Array {
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size)
  }
}

type ScanEvent =
  | { kind: 'member'; key: string; bytes: Uint8Array; line: number }
  | { kind: 'features'; line: number }
  | { kind: 'feature'; index: number; bytes: Uint8Array; line: number }
  | { kind: 'end' }
  | { kind: 'error'; error: GeoImportError }

type ScanState =
  | 'start' | 'bom' | 'first_key' | 'key' | 'colon' | 'value' | 'after_value'
  | 'first_element' | 'element' | 'after_element' | 'done' | 'failed'

/**
 * Follows the top-level object of a GeoJSON document byte by byte and reports its members and the
 * elements of its `features` array as events. It never throws: an error is an event, so errors and
 * features come out in file order whatever the chunking.
 */
class TopLevelScanner implements Lines {
  readonly events: ScanEvent[] = []
  line = 1
  features = 0
  private state: ScanState = 'start'
  private bomAt = 0
  private value: ValueBytes | null = null
  private valueKind: 'key' | 'member' | 'feature' = 'member'
  private key = ''
  private sawFeatures = false

  write(chunk: Uint8Array): void {
    let i = 0
    try {
      while (i < chunk.length && this.state !== 'failed') {
        if (this.value) {
          const end = this.value.feed(chunk, i, this)
          if (end < 0) return
          this.endValue()
          i = end
          continue
        }
        const b = chunk[i]!
        if (this.state === 'bom') {
          if (b !== BOM[this.bomAt]) this.fail('malformed_json', 'the file does not start with JSON')
          if (++this.bomAt === BOM.length) this.state = 'start'
          i++
          continue
        }
        if (isSpace(b)) {
          if (b === NL) this.line++
          i++
          continue
        }
        i = this.step(b, i)
      }
    } catch (e) {
      if (!(e instanceof GeoImportError)) throw e
      this.fail(e.code, e.reason, this.valueKind === 'feature' && this.value ? { feature: this.features } : {})
    }
  }

  end(): void {
    if (this.state === 'failed') return
    if (this.state === 'done') {
      this.events.push({ kind: 'end' })
      return
    }
    if (this.value && this.valueKind === 'feature') this.fail('malformed_json', 'the file ends inside this feature (cut short?)', { feature: this.features })
    else if (this.state === 'start') this.fail('malformed_json', 'the file is empty')
    else this.fail('malformed_json', 'the file ends before the GeoJSON object is closed (cut short?)')
  }

  private fail(code: GeoImportErrorCode, reason: string, where: GeoImportWhere = {}): void {
    this.events.push({ kind: 'error', error: new GeoImportError(code, reason, { line: this.line, ...where }) })
    this.state = 'failed'
    this.value = null
  }

  private startValue(kind: 'key' | 'member' | 'feature', i: number): number {
    this.value = new ValueBytes(this.line)
    this.valueKind = kind
    return i
  }

  private endValue(): void {
    const value = this.value!
    this.value = null
    if (this.valueKind === 'key') {
      const key = parseJsonBytes(value.bytes(), { line: value.line })
      this.key = key as string
      this.state = 'colon'
    } else if (this.valueKind === 'member') {
      this.events.push({ kind: 'member', key: this.key, bytes: value.bytes(), line: value.line })
      this.state = 'after_value'
    } else {
      this.events.push({ kind: 'feature', index: this.features++, bytes: value.bytes(), line: value.line })
      this.state = 'after_element'
    }
  }

  private step(b: number, i: number): number {
    const expected = (what: string) => this.fail('malformed_json', `expected ${what}, found '${String.fromCharCode(b)}'`)
    switch (this.state) {
      case 'start':
        if (b === LBRACE) this.state = 'first_key'
        else if (b === BOM[0] && i === 0 && this.line === 1 && this.bomAt === 0) { this.state = 'bom'; this.bomAt = 1 }
        else if (b === LBRACKET) this.fail('not_feature_collection', 'the file is a JSON array, not a GeoJSON object')
        else expected("'{' (a GeoJSON object)")
        return i + 1
      case 'first_key':
        if (b === RBRACE) { this.state = 'done'; return i + 1 }
        if (b === QUOTE) return this.startValue('key', i)
        expected("a member name or '}'")
        return i
      case 'key':
        if (b === QUOTE) return this.startValue('key', i)
        expected('a member name')
        return i
      case 'colon':
        if (b === COLON) this.state = 'value'
        else expected(`':' after "${this.key}"`)
        return i + 1
      case 'value':
        if (this.key === 'features' && b === LBRACKET) {
          if (this.sawFeatures) this.fail('not_feature_collection', "the object has two 'features' members")
          this.sawFeatures = true
          this.events.push({ kind: 'features', line: this.line })
          this.state = 'first_element'
          return i + 1
        }
        if (isValueStart(b)) return this.startValue('member', i)
        expected(`a value for "${this.key}"`)
        return i
      case 'after_value':
        if (b === COMMA) this.state = 'key'
        else if (b === RBRACE) this.state = 'done'
        else expected(`',' or '}' after the value of "${this.key}"`)
        return i + 1
      case 'first_element':
        if (b === RBRACKET) { this.state = 'after_value'; return i + 1 }
        if (isValueStart(b)) return this.startValue('feature', i)
        expected("a feature or ']'")
        return i
      case 'element':
        if (isValueStart(b)) return this.startValue('feature', i)
        expected(`feature ${this.features} after ','`)
        return i
      case 'after_element':
        if (b === COMMA) this.state = 'element'
        else if (b === RBRACKET) this.state = 'after_value'
        else expected(`',' or ']' after feature ${this.features - 1}`)
        return i + 1
      case 'done':
        this.fail('malformed_json', 'text after the end of the GeoJSON object')
        return i
      default:
        return i
    }
  }
}

// The top-level members a bare Feature or geometry needs; others (bbox, name…) are not kept.
const KEPT = new Set(['type', 'crs', 'id', 'properties', 'geometry', 'coordinates', 'features'])

/**
 * Opens a GeoJSON stream: reads until the CRS is settled (the first feature, or the end of a bare
 * Feature or geometry) and returns it with the features still to come. Every error is a
 * GeoImportError naming the feature index (and the line) where it can; `file_too_large` comes as
 * soon as more than maxBytes have been read, and the source is closed on any error.
 *
 * @example
 * const layer = await openGeoJson(request.file, { maxBytes: 200 * 2 ** 20, onProgress: (bytes, n) => job.progress(bytes) })
 * layer.crs // { epsg: 32637, declared: true }
 * for await (const feature of layer.features) await insert(feature) // inside the import's transaction
 */
export async function openGeoJson(chunks: AsyncIterable<Uint8Array>, limits: ReadLimits): Promise<GeoJsonLayer> {
  const source = chunks[Symbol.asyncIterator]()
  const scanner = new TopLevelScanner()
  let bytesRead = 0
  let ended = false

  const pull = async (): Promise<void> => {
    if (ended) return
    const next = await source.next()
    if (next.done) {
      ended = true
      scanner.end()
      return
    }
    bytesRead += next.value.length
    if (bytesRead > limits.maxBytes) throw tooLarge(limits.maxBytes)
    scanner.write(next.value)
    limits.onProgress?.(bytesRead, scanner.features)
  }
  const nextEvent = async (): Promise<ScanEvent> => {
    for (;;) {
      const event = scanner.events.shift()
      if (event) return event
      if (ended) throw new Error('the GeoJSON scanner stopped without an end') // a bug, not the file
      await pull()
    }
  }
  const close = async () => { await source.return?.() }

  let type: string | undefined
  let crs: Crs | undefined
  const members = new Map<string, unknown>()

  // `afterFeatures`: the 'features' array came first, and only a FeatureCollection may have one.
  const checkType = (value: unknown, line: number, afterFeatures: boolean) => {
    const where = { line, element: 'type' }
    if (typeof value !== 'string') throw new GeoImportError('not_feature_collection', "'type' is not a string", where)
    if (value === 'Topology') throw new GeoImportError('not_feature_collection', 'the file is TopoJSON, not GeoJSON', where)
    if (value !== 'FeatureCollection' && value !== 'Feature' && value !== 'GeometryCollection' && !(GEOMETRY_TYPES as readonly string[]).includes(value)) {
      throw new GeoImportError('not_feature_collection', `"${value}" is not a GeoJSON type (FeatureCollection, Feature or a geometry)`, where)
    }
    if (afterFeatures && value !== 'FeatureCollection') throw new GeoImportError('not_feature_collection', `a ${value} has no 'features' array`, where)
    type = value
  }

  let first: ScanEvent
  try {
    for (;;) {
      first = await nextEvent()
      if (first.kind === 'error') throw first.error
      if (first.kind !== 'member') break
      const value = parseJsonBytes(first.bytes, { line: first.line, element: first.key })
      if (first.key === 'type') checkType(value, first.line, false)
      else if (first.key === 'crs') crs = crsFromMember(value, { line: first.line, element: 'crs' })
      else if (KEPT.has(first.key)) members.set(first.key, value)
    }
    if (first.kind === 'features' && type !== undefined && type !== 'FeatureCollection') {
      throw new GeoImportError('not_feature_collection', `a ${type} has no 'features' array`, { line: first.line, element: 'features' })
    }
  } catch (e) {
    await close()
    throw e
  }
  const settled: Crs = crs ?? { epsg: WGS84, declared: false }

  if (first.kind === 'end') {
    // The whole object was one Feature or one geometry (or a FeatureCollection without features).
    const feature = (() => {
      if (type === undefined) throw new GeoImportError('not_feature_collection', "the object has no 'type'; it is not GeoJSON")
      if (type === 'FeatureCollection') throw new GeoImportError('not_feature_collection', "the FeatureCollection has no 'features' array", { element: 'features' })
      const value = type === 'Feature'
        ? { type, id: members.get('id'), properties: members.get('properties'), geometry: members.get('geometry') }
        : { type: 'Feature', properties: {}, geometry: { type, coordinates: members.get('coordinates') } }
      return toParsedFeature(value, 0, settled)
    })()
    return { crs: settled, features: (async function* () { yield feature })() }
  }

  async function* features(): AsyncGenerator<ParsedFeature, void, undefined> {
    try {
      for (;;) {
        const event = await nextEvent()
        switch (event.kind) {
          case 'feature':
            yield toParsedFeature(parseJsonBytes(event.bytes, { feature: event.index, line: event.line }), event.index, settled, event.line)
            break
          case 'member': {
            const where = { line: event.line, element: event.key }
            const value = parseJsonBytes(event.bytes, where)
            if (event.key === 'crs') {
              throw new GeoImportError('crs_after_features', "the 'crs' member comes after the features; move it before 'features' so it applies to all of them", where)
            }
            if (event.key === 'type') checkType(value, event.line, true)
            break
          }
          case 'error':
            throw event.error
          case 'end':
            if (type === undefined) throw new GeoImportError('not_feature_collection', "the object has no 'type' member; a FeatureCollection says so")
            return
          case 'features':
            break // the scanner refuses a second 'features' itself
        }
      }
    } finally {
      await close()
    }
  }
  return { crs: settled, features: features() }
}

/**
 * Checks one GeoJSON Feature (already parsed) and validates its geometry.
 *
 * @example
 * toParsedFeature({ type: 'Feature', properties: { name: 'Idlib' }, geometry: { type: 'Point', coordinates: [36.6, 35.9] } }, 0, { epsg: 4326, declared: false })
 */
export function toParsedFeature(value: unknown, index: number, crs: Crs, line?: number): ParsedFeature {
  const where: GeoImportWhere = line === undefined ? { feature: index } : { feature: index, line }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GeoImportError('feature_invalid', 'a feature is a JSON object', where)
  }
  const f = value as { type?: unknown; id?: unknown; properties?: unknown; geometry?: unknown }
  if (f.type !== 'Feature') throw new GeoImportError('feature_invalid', `an element of 'features' has type ${JSON.stringify(f.type ?? null)}, not "Feature"`, where)
  if (f.id !== undefined && f.id !== null && typeof f.id !== 'string' && !(typeof f.id === 'number' && Number.isFinite(f.id))) {
    throw new GeoImportError('feature_invalid', "a feature's 'id' is a string or a number", where)
  }
  if (f.properties !== undefined && f.properties !== null && (typeof f.properties !== 'object' || Array.isArray(f.properties))) {
    throw new GeoImportError('feature_invalid', "a feature's 'properties' is an object or null", where)
  }
  let geometry
  try {
    geometry = validateGeometry(f.geometry, { epsg: crs.epsg, feature: index })
  } catch (e) {
    throw e instanceof GeoImportError && line !== undefined ? e.at({ line }) : e
  }
  const feature: ParsedFeature = { index, geometry, properties: (f.properties ?? {}) as Record<string, unknown> }
  if (f.id !== undefined && f.id !== null) feature.id = f.id as string | number
  return feature
}
