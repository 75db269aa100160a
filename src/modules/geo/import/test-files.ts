// Builders of the files the importer tests read: ZIP archives (including lying and overlapping
// ones), .shp and .dbf bytes, and streams cut into chunks. Test code only; nothing imports it at
// run time.
import type { Position } from 'geojson'
import { readFileSync } from 'node:fs'
import { crc32, deflateRawSync } from 'node:zlib'
import type { ParsedFeature } from './types.ts'
import { seededRandom } from '../../../lib/random.ts'

// ---- streams ----

/** A seeded generator (mulberry32, src/lib/random.ts). */
export const seeded = seededRandom

/** The bytes as a stream of chunks of `size` bytes, or of sizes drawn by `size()`. */
export async function* chunked(bytes: Uint8Array | string, size: number | (() => number)): AsyncGenerator<Uint8Array, void, undefined> {
  const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes
  for (let i = 0; i < b.length;) {
    const n = Math.max(1, typeof size === 'number' ? size : size())
    yield b.subarray(i, i + n)
    i += n
  }
}

export async function collect<T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** What the streamed features should be: the file parsed whole, positions made 2D. */
export function expectedFeatures(path: string): ParsedFeature[] {
  const flat = (c: unknown): unknown => (Array.isArray(c) && typeof c[0] === 'number' ? c.slice(0, 2) : Array.isArray(c) ? c.map(flat) : c)
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { features: { id?: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[] }
  return doc.features.map((f, index) => ({
    index, ...(f.id === undefined ? {} : { id: f.id }), properties: f.properties,
    geometry: { type: f.geometry.type, coordinates: flat(f.geometry.coordinates) } as ParsedFeature['geometry'],
  }))
}

// ---- ZIP ----

export type ZipInput = {
  name: string
  data?: Uint8Array | string
  /** Deflate (8, the default) or stored (0), or any other number to test refusals. */
  method?: number
  /** Raw deflate data to store instead of compressing `data`. */
  compressed?: Uint8Array
  /** Declared uncompressed size (default: the data's). */
  size?: number
  crc?: number
  flags?: number
  /** Make this central-directory entry point at an earlier entry's local header (an overlap). */
  sameDataAs?: number
}

/** A ZIP archive as the tests want it, honest or not. `zip64` writes the ZIP64 records and extra fields. */
export function buildZip(inputs: readonly ZipInput[], options: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  const offsets: number[] = []
  let offset = 0
  inputs.forEach((input, k) => {
    const data = typeof input.data === 'string' ? Buffer.from(input.data) : Buffer.from(input.data ?? new Uint8Array())
    const method = input.method ?? 8
    const body = input.compressed ? Buffer.from(input.compressed) : method === 8 ? deflateRawSync(data) : data
    const size = input.size ?? data.length
    const crc = input.crc ?? crc32(data)
    const name = Buffer.from(input.name)
    const flags = (input.flags ?? 0) | 0x800
    const z64 = options.zip64 === true

    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(z64 ? 45 : 20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    if (input.sameDataAs === undefined) {
      offsets.push(offset)
      locals.push(local, name, body)
      offset += local.length + name.length + body.length
    } else {
      offsets.push(offsets[input.sameDataAs]!)
    }

    const extra = z64 ? Buffer.alloc(4 + 24) : Buffer.alloc(0)
    if (z64) {
      extra.writeUInt16LE(0x0001, 0)
      extra.writeUInt16LE(24, 2)
      extra.writeBigUInt64LE(BigInt(size), 4)
      extra.writeBigUInt64LE(BigInt(body.length), 12)
      extra.writeBigUInt64LE(BigInt(offsets[k]!), 20)
    }
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(z64 ? 45 : 20, 4)
    central.writeUInt16LE(z64 ? 45 : 20, 6)
    central.writeUInt16LE(flags, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(z64 ? 0xffffffff : body.length, 20)
    central.writeUInt32LE(z64 ? 0xffffffff : size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt16LE(extra.length, 30)
    central.writeUInt32LE(z64 ? 0xffffffff : offsets[k]!, 42)
    centrals.push(central, name, extra)
  })
  const cd = Buffer.concat(centrals)
  const tail: Buffer[] = []
  if (options.zip64) {
    const record = Buffer.alloc(56)
    record.writeUInt32LE(0x06064b50, 0)
    record.writeBigUInt64LE(44n, 4)
    record.writeUInt16LE(45, 12)
    record.writeUInt16LE(45, 14)
    record.writeBigUInt64LE(BigInt(inputs.length), 24)
    record.writeBigUInt64LE(BigInt(inputs.length), 32)
    record.writeBigUInt64LE(BigInt(cd.length), 40)
    record.writeBigUInt64LE(BigInt(offset), 48)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8)
    locator.writeUInt32LE(1, 16)
    tail.push(record, locator)
  }
  const eocd = Buffer.alloc(22)
  eocd.writeUInt32LE(0x06054b50, 0)
  eocd.writeUInt16LE(options.zip64 ? 0xffff : inputs.length, 8)
  eocd.writeUInt16LE(options.zip64 ? 0xffff : inputs.length, 10)
  eocd.writeUInt32LE(options.zip64 ? 0xffffffff : cd.length, 12)
  eocd.writeUInt32LE(options.zip64 ? 0xffffffff : offset, 16)
  return Buffer.concat([...locals, cd, ...tail, eocd])
}

/**
 * Raw deflate data that inflates to `mib` MiB of zeros, built from one compressed MiB repeated
 * (each ends on a full flush, so copies chain), in milliseconds and about 1 KiB per MiB.
 */
export function zerosDeflated(mib: number): Buffer {
  const segment = deflateRawSync(Buffer.alloc(2 ** 20), { finishFlush: 3 /* Z_FULL_FLUSH */ })
  const end = deflateRawSync(Buffer.alloc(0))
  return Buffer.concat([...Array.from({ length: mib }, () => segment), end])
}

// ---- shapefile ----

export const SHAPE = { Null: 0, Point: 1, PolyLine: 3, Polygon: 5, MultiPoint: 8, PointZ: 11, PolyLineZ: 13, PolygonZ: 15, MultiPointZ: 18, PointM: 21, PolyLineM: 23, PolygonM: 25, MultiPointM: 28, MultiPatch: 31 } as const

const hasZ = (t: number) => t >= 11 && t <= 18
const hasM = (t: number) => t >= 11 && t <= 28
const basic = (t: number) => t % 10 === 1 ? 1 : t % 10 === 3 ? 3 : t % 10 === 5 ? 5 : t % 10 === 8 ? 8 : t

/**
 * A .shp of one shape type. Each record is a list of parts (a Point's is `[[p]]`, a MultiPoint's
 * `[points]`), or null for a null shape. Z and M values are written (as 7 and 9) for those types.
 */
export function buildShp(type: number, records: readonly (readonly (readonly Position[])[] | null)[]): Buffer {
  const contents = records.map((parts) => {
    const doubles: number[] = []
    const ints: number[] = []
    if (parts === null) return Buffer.from(new Int32Array([0]).buffer)
    const points = parts.flat()
    const xs = points.map((p) => p[0]!)
    const ys = points.map((p) => p[1]!)
    const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
    const zm = (values: number) => {
      if (basic(type) === 1) return
      doubles.push(values, values, ...points.map(() => values))
    }
    const b = basic(type)
    if (b === 1) {
      doubles.push(points[0]![0]!, points[0]![1]!)
      if (hasZ(type)) doubles.push(7)
      if (hasM(type)) doubles.push(9)
      const buf = Buffer.alloc(4 + 8 * doubles.length)
      buf.writeInt32LE(type, 0)
      doubles.forEach((d, k) => buf.writeDoubleLE(d, 4 + 8 * k))
      return buf
    }
    if (b === 8) ints.push(points.length)
    else ints.push(parts.length, points.length, ...parts.map((_, k) => parts.slice(0, k).reduce((n, p) => n + p.length, 0)))
    for (const p of points) doubles.push(p[0]!, p[1]!)
    if (hasZ(type)) zm(7)
    if (hasM(type)) zm(9)
    const buf = Buffer.alloc(4 + 32 + 4 * ints.length + 8 * doubles.length)
    buf.writeInt32LE(type, 0)
    bbox.forEach((d, k) => buf.writeDoubleLE(d, 4 + 8 * k))
    ints.forEach((n, k) => buf.writeInt32LE(n, 36 + 4 * k))
    doubles.forEach((d, k) => buf.writeDoubleLE(d, 36 + 4 * ints.length + 8 * k))
    return buf
  })
  const body = Buffer.concat(contents.flatMap((c, k) => {
    const header = Buffer.alloc(8)
    header.writeInt32BE(k + 1, 0)
    header.writeInt32BE(c.length / 2, 4)
    return [header, c]
  }))
  const header = Buffer.alloc(100)
  header.writeInt32BE(9994, 0)
  header.writeInt32BE((100 + body.length) / 2, 24)
  header.writeInt32LE(1000, 28)
  header.writeInt32LE(type, 32)
  return Buffer.concat([header, body])
}

export type DbfFieldSpec = { name: string; type: string; length: number; decimals?: number }
export type DbfCell = string | number | boolean | null | Uint8Array

/**
 * A dBASE III table. Strings are written in `encode` (UTF-8 by default), numbers right-aligned,
 * booleans as T/F; a Uint8Array is written as it is. `deleted` lists records marked '*'.
 */
export function buildDbf(
  fields: readonly DbfFieldSpec[],
  rows: readonly (readonly DbfCell[])[],
  options: { encode?: (s: string) => Uint8Array; languageDriver?: number; deleted?: readonly number[] } = {},
): Buffer {
  const encode = options.encode ?? ((s: string) => Buffer.from(s, 'utf8'))
  const recordLength = 1 + fields.reduce((n, f) => n + f.length, 0)
  const headerLength = 32 + 32 * fields.length + 1
  const header = Buffer.alloc(headerLength)
  header[0] = 0x03
  header.writeUInt8(125, 1)
  header.writeUInt8(1, 2)
  header.writeUInt8(1, 3)
  header.writeUInt32LE(rows.length, 4)
  header.writeUInt16LE(headerLength, 8)
  header.writeUInt16LE(recordLength, 10)
  header[29] = options.languageDriver ?? 0
  fields.forEach((f, k) => {
    const at = 32 + 32 * k
    Buffer.from(f.name, 'latin1').copy(header, at, 0, 10)
    header[at + 11] = f.type.charCodeAt(0)
    header[at + 16] = f.length
    header[at + 17] = f.decimals ?? 0
  })
  header[headerLength - 1] = 0x0d
  const records = rows.map((row, r) => {
    const rec = Buffer.alloc(recordLength, 0x20)
    if (options.deleted?.includes(r)) rec[0] = 0x2a
    let at = 1
    fields.forEach((f, k) => {
      const v = row[k]
      let bytes: Uint8Array
      if (v instanceof Uint8Array) bytes = v
      else if (v === null || v === undefined) bytes = new Uint8Array()
      else if (typeof v === 'boolean') bytes = Buffer.from(v ? 'T' : 'F')
      else if (typeof v === 'number') bytes = Buffer.from(v.toFixed(f.decimals ?? 0).padStart(f.length))
      else bytes = encode(v)
      Buffer.from(bytes).copy(rec, at, 0, f.length)
      at += f.length
    })
    return rec
  })
  return Buffer.concat([header, ...records, Buffer.from([0x1a])])
}

export const PRJ_WGS84 = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
export const PRJ_UTM37N = 'PROJCS["WGS_1984_UTM_Zone_37N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",39.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
