// Mapbox Vector Tile 2.1 encoding (https://github.com/mapbox/vector-tile-spec/tree/master/2.1),
// written by hand because the embedded PostGIS is built without protobuf (no ST_AsMVT). Input is
// already in tile coordinates (integers 0…extent inside the tile, y down; project.ts gets there
// from GeoJSON); this file only writes the protobuf wire format:
//
//   Tile    { repeated Layer layers = 3 }
//   Layer   { version = 15; name = 1; repeated Feature features = 2; repeated string keys = 3;
//             repeated Value values = 4; extent = 5 }
//   Feature { id = 1 (uint64); tags = 2 (packed uint32: key, value, …); type = 3; geometry = 4 (packed uint32) }
//   Value   { string = 1; float = 2; double = 3; int = 4; uint = 5; sint = 6; bool = 7 }
//
// Geometry is a stream of commands, (id & 7) | (count << 3), each followed by count zigzagged
// (dx, dy) pairs relative to a cursor that runs on across the whole feature: MoveTo = 1,
// LineTo = 2, ClosePath = 7. Polygon rings are oriented here, whatever the input's order: an
// exterior ring has positive surveyor's-formula area in tile coordinates (clockwise on screen,
// y down), its holes negative, as the spec requires.

/** A property value that MVT can hold. `null`/`undefined` properties are left out: MVT has no null. */
export type PropertyValue = string | number | boolean
export type TilePoint = readonly [x: number, y: number]
export type TileRing = readonly TilePoint[]

/**
 * One feature's geometry in tile coordinates. Coordinates are rounded to integers on encoding.
 * `Polygon` holds polygons, each an exterior ring followed by its holes (closing point optional).
 */
export type TileGeometry =
  | { type: 'Point'; points: readonly TilePoint[] }
  | { type: 'LineString'; lines: readonly (readonly TilePoint[])[] }
  | { type: 'Polygon'; polygons: readonly (readonly TileRing[])[] }

export type TileFeature = {
  /** A non-negative integer (uint64 on the wire; up to 2^53−1 here). */
  id?: number | undefined
  geometry: TileGeometry
  properties?: Readonly<Record<string, PropertyValue | null | undefined>> | undefined
}

export type TileLayer = { name: string; extent?: number | undefined; features: Iterable<TileFeature> }

export const DEFAULT_EXTENT = 4096

const GEOM_POINT = 1
const GEOM_LINESTRING = 2
const GEOM_POLYGON = 3
const CMD_MOVE_TO = 1
const CMD_LINE_TO = 2
const CMD_CLOSE_PATH = 7
const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_BYTES = 2

const command = (id: number, count: number) => (id & 7) | (count << 3)
/** Zigzag for the 32-bit geometry deltas (tile coordinates are far inside ±2^30). */
const zigzag32 = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0

/**
 * A growable buffer that writes protobuf wire format. Varints take any non-negative integer up to
 * 2^53−1 (uint64 ids beyond 2^32 use division, not 32-bit shifts, which would wrap).
 */
class ProtoWriter {
  buf: Uint8Array
  pos = 0
  private view: DataView

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity)
    this.view = new DataView(this.buf.buffer)
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + bytes) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  varint(value: number): void {
    this.ensure(10)
    const buf = this.buf
    if (value <= 0xffffffff) {
      let v = value >>> 0
      while (v >= 0x80) {
        buf[this.pos++] = (v & 0x7f) | 0x80
        v >>>= 7
      }
      buf[this.pos++] = v
      return
    }
    let v = value
    while (v >= 0x80) {
      buf[this.pos++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    buf[this.pos++] = v
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType)
  }

  double(value: number): void {
    this.ensure(8)
    this.view.setFloat64(this.pos, value, true)
    this.pos += 8
  }

  /** A length-delimited string field. */
  stringField(field: number, value: string): void {
    this.tag(field, WIRE_BYTES)
    const start = this.beginLength()
    this.ensure(value.length * 3)
    this.pos += encoder.encodeInto(value, this.buf.subarray(this.pos)).written
    this.endLength(start)
  }

  /** Reserves one byte for a length prefix; endLength fills it in, moving the body if it needs more. */
  beginLength(): number {
    this.ensure(1)
    this.pos++
    return this.pos
  }

  endLength(start: number): void {
    const length = this.pos - start
    const size = varintSize(length)
    if (size > 1) {
      this.ensure(size - 1)
      this.buf.copyWithin(start + size - 1, start, this.pos)
    }
    this.pos = start - 1
    this.varint(length)
    this.pos += length
  }

  /** A packed repeated uint32 field. */
  packed(field: number, values: ArrayLike<number>, count = values.length): void {
    this.tag(field, WIRE_BYTES)
    let length = 0
    for (let i = 0; i < count; i++) length += varintSize(values[i]!)
    this.varint(length)
    for (let i = 0; i < count; i++) this.varint(values[i]!)
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos)
  }
}

const encoder = new TextEncoder()

function varintSize(value: number): number {
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  if (value < 0x200000) return 3
  if (value < 0x10000000) return 4
  let size = 5
  for (let v = Math.floor(value / 0x800000000); v > 0; v = Math.floor(v / 0x80)) size++
  return size
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`a feature id must be an integer from 0 to 2^53−1, got ${String(id)}`)
}

/**
 * One layer being written: features go straight into a buffer; keys and values are tables
 * shared by its features, each distinct key or value stored once.
 *
 * @example
 * const layer = new LayerEncoder('incidents')
 * layer.addFeature({ id: 7, geometry: { type: 'Point', points: [[100, 200]] }, properties: { kind: 'shelling' } })
 * const bytes = encodeLayers([layer])
 */
export class LayerEncoder {
  readonly name: string
  readonly extent: number
  private readonly keys = new Map<string, number>()
  private readonly values = new Map<PropertyValue, number>()
  private readonly features: ProtoWriter
  private readonly tableWriter = new ProtoWriter(256)
  private count = 0
  private commands: number[] = []
  private tags: number[] = []

  /** `capacity`: the bytes of features expected, to spare the buffer's regrowth. */
  constructor(name: string, extent = DEFAULT_EXTENT, capacity = 1024) {
    if (!Number.isInteger(extent) || extent <= 0) throw new RangeError(`extent must be a positive integer, got ${String(extent)}`)
    this.name = name
    this.extent = extent
    this.features = new ProtoWriter(Math.max(64, capacity))
  }

  /** How many features the layer holds so far. */
  get length(): number {
    return this.count
  }

  /** The index of a key in this layer's key table, adding it on first use. */
  key(key: string): number {
    let i = this.keys.get(key)
    if (i === undefined) {
      i = this.keys.size
      this.keys.set(key, i)
      this.tableWriter.stringField(3, key)
    }
    return i
  }

  /** The index of a value in this layer's value table, adding it on first use. */
  value(value: PropertyValue): number {
    let i = this.values.get(value)
    if (i === undefined) {
      i = this.values.size
      this.values.set(value, i)
      const w = this.tableWriter
      w.tag(4, WIRE_BYTES)
      const start = w.beginLength()
      writeValue(w, value)
      w.endLength(start)
    }
    return i
  }

  /** Adds a feature; returns false (and adds nothing) when its geometry is empty once rounded. */
  addFeature(feature: TileFeature): boolean {
    const commands = this.commands
    commands.length = 0
    const type = writeGeometry(feature.geometry, commands)
    if (commands.length === 0) return false
    const tags = this.tags
    tags.length = 0
    if (feature.properties) {
      for (const k in feature.properties) {
        const v = feature.properties[k]
        if (v === null || v === undefined) continue
        tags.push(this.key(k), this.value(v))
      }
    }
    const w = this.features
    w.tag(2, WIRE_BYTES)
    const start = w.beginLength()
    if (feature.id !== undefined) {
      checkId(feature.id)
      w.tag(1, WIRE_VARINT)
      w.varint(feature.id)
    }
    if (tags.length) w.packed(2, tags)
    w.tag(3, WIRE_VARINT)
    w.varint(type)
    w.packed(4, commands)
    w.endLength(start)
    this.count++
    return true
  }

  /**
   * The fast path for one point feature, for callers writing many of them: `tags` are indices
   * from key() and value(), in pairs. x and y must already be integers.
   */
  addPoint(id: number | undefined, x: number, y: number, tags: ArrayLike<number>, tagCount = tags.length): void {
    let tagBytes = 0
    for (let i = 0; i < tagCount; i++) tagBytes += varintSize(tags[i]!)
    const zx = zigzag32(x)
    const zy = zigzag32(y)
    const geomBytes = 1 + varintSize(zx) + varintSize(zy)
    // type (tag + value), geometry (tag + one-byte length + body), then tags and id
    let length = 2 + 2 + geomBytes + (tagCount ? 1 + varintSize(tagBytes) + tagBytes : 0)
    if (id !== undefined) length += 1 + varintSize(id)
    const w = this.features
    w.ensure(length + 6)
    w.tag(2, WIRE_BYTES)
    w.varint(length)
    if (id !== undefined) {
      w.tag(1, WIRE_VARINT)
      w.varint(id)
    }
    if (tagCount) {
      w.tag(2, WIRE_BYTES)
      w.varint(tagBytes)
      for (let i = 0; i < tagCount; i++) w.varint(tags[i]!)
    }
    w.tag(3, WIRE_VARINT)
    w.varint(GEOM_POINT)
    w.tag(4, WIRE_BYTES)
    w.varint(geomBytes)
    w.varint(command(CMD_MOVE_TO, 1))
    w.varint(zx)
    w.varint(zy)
    this.count++
  }

  /** The layer message's body (without the Tile's field tag and length). */
  parts(): Uint8Array[] {
    const head = new ProtoWriter(32 + this.name.length * 3)
    head.tag(15, WIRE_VARINT)
    head.varint(2)
    head.stringField(1, this.name)
    head.tag(5, WIRE_VARINT)
    head.varint(this.extent)
    return [head.finish(), this.features.finish(), this.tableWriter.finish()]
  }
}

function writeValue(w: ProtoWriter, value: PropertyValue): void {
  if (typeof value === 'string') {
    w.stringField(1, value)
  } else if (typeof value === 'boolean') {
    w.tag(7, WIRE_VARINT)
    w.varint(value ? 1 : 0)
  } else if (Number.isInteger(value) && Math.abs(value) <= 2 ** 52) {
    if (value >= 0) {
      w.tag(4, WIRE_VARINT)
      w.varint(value)
    } else {
      // sint64: zigzag keeps small negatives short (int64 would take ten bytes)
      w.tag(6, WIRE_VARINT)
      w.varint(-2 * value - 1)
    }
  } else {
    w.tag(3, WIRE_FIXED64)
    w.double(value)
  }
}

/** Concatenates finished layers into one tile. Empty layers are left out. */
export function encodeLayers(layers: readonly LayerEncoder[]): Uint8Array {
  const pieces: Uint8Array[] = []
  for (const layer of layers) {
    if (layer.length === 0) continue
    const parts = layer.parts()
    let length = 0
    for (const p of parts) length += p.length
    const head = new ProtoWriter(16)
    head.tag(3, WIRE_BYTES)
    head.varint(length)
    pieces.push(head.finish(), ...parts)
  }
  let total = 0
  for (const p of pieces) total += p.length
  const out = new Uint8Array(total)
  let at = 0
  for (const p of pieces) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Encodes layers of features (geometry in tile coordinates) as one Mapbox Vector Tile.
 *
 * @example
 * encodeTile([{ name: 'zones', features: [{ id: 1, geometry: { type: 'Polygon', polygons: [[[[0, 0], [0, 4096], [4096, 4096], [4096, 0]]]] } }] }])
 */
export function encodeTile(layers: readonly TileLayer[]): Uint8Array {
  return encodeLayers(layers.map((l) => {
    const layer = new LayerEncoder(l.name, l.extent ?? DEFAULT_EXTENT)
    for (const f of l.features) layer.addFeature(f)
    return layer
  }))
}

// ---------- geometry ----------

type Cursor = { x: number; y: number }

function writeGeometry(geometry: TileGeometry, out: number[]): number {
  const cursor: Cursor = { x: 0, y: 0 }
  switch (geometry.type) {
    case 'Point': {
      const pts = geometry.points
      if (pts.length === 0) return GEOM_POINT
      out.push(command(CMD_MOVE_TO, pts.length))
      for (const p of pts) pushDelta(out, cursor, Math.round(p[0]), Math.round(p[1]))
      return GEOM_POINT
    }
    case 'LineString': {
      for (const line of geometry.lines) {
        const pts = roundedPath(line, false)
        if (pts.length < 4) continue
        pushPath(out, cursor, pts)
      }
      return GEOM_LINESTRING
    }
    case 'Polygon': {
      for (const polygon of geometry.polygons) {
        let exterior = true
        for (const ring of polygon) {
          const pts = roundedPath(ring, true)
          const area = pts.length >= 6 ? doubleArea(pts) : 0
          if (area === 0) {
            // a degenerate exterior takes its holes with it
            if (exterior) break
            continue
          }
          if ((area > 0) !== exterior) reverseRing(pts)
          pushPath(out, cursor, pts)
          out.push(command(CMD_CLOSE_PATH, 1))
          exterior = false
        }
      }
      return GEOM_POLYGON
    }
  }
}

function pushDelta(out: number[], cursor: Cursor, x: number, y: number): void {
  out.push(zigzag32(x - cursor.x), zigzag32(y - cursor.y))
  cursor.x = x
  cursor.y = y
}

/** One MoveTo then one LineTo for the rest, over flat [x0, y0, x1, y1, …]. */
function pushPath(out: number[], cursor: Cursor, pts: number[]): void {
  out.push(command(CMD_MOVE_TO, 1))
  pushDelta(out, cursor, pts[0]!, pts[1]!)
  out.push(command(CMD_LINE_TO, pts.length / 2 - 1))
  for (let i = 2; i < pts.length; i += 2) pushDelta(out, cursor, pts[i]!, pts[i + 1]!)
}

/**
 * Rounds to integers and drops repeated points, which the spec forbids in LineTo (a zero-length
 * step). For a ring, the closing point (equal to the first) is dropped too: ClosePath implies it.
 */
function roundedPath(path: readonly TilePoint[], ring: boolean): number[] {
  const out: number[] = []
  for (const p of path) {
    const x = Math.round(p[0])
    const y = Math.round(p[1])
    const n = out.length
    if (n && out[n - 2] === x && out[n - 1] === y) continue
    out.push(x, y)
  }
  if (ring) {
    while (out.length >= 4 && out[0] === out[out.length - 2] && out[1] === out[out.length - 1]) out.length -= 2
  }
  return out
}

/** Twice the surveyor's-formula area of a flat ring; positive is clockwise with y down. */
function doubleArea(pts: number[]): number {
  let sum = 0
  const n = pts.length
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) sum += pts[j]! * pts[i + 1]! - pts[i]! * pts[j + 1]!
  return sum
}

/** Reverses a flat ring in place, keeping its first point first. */
function reverseRing(pts: number[]): void {
  for (let i = 2, j = pts.length - 2; i < j; i += 2, j -= 2) {
    const x = pts[i]!
    const y = pts[i + 1]!
    pts[i] = pts[j]!
    pts[i + 1] = pts[j + 1]!
    pts[j] = x
    pts[j + 1] = y
  }
}
