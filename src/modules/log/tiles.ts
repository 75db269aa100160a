// The log's tree as C2SP tlog-tiles resources (https://c2sp.org/tlog-tiles): tile and entry
// bundle paths, which tiles a tree of a given size has, what bytes a tile holds, and the entry
// bundle encoding. All Merkle hashing is RFC 6962/9162 (merkle.ts); tiles only re-encode it.
//
// From the spec:
// - `tile/<L>/<N>[.p/<W>]`: <L> is a decimal level 0–63 without leading zeroes; <N> is the tile
//   index as zero-padded 3-digit path elements, all but the last prefixed with `x`
//   (1234067 → `x001/x234/067`); `.p/<W>` marks a partial tile of width W, 1–255, no leading zeroes.
// - A full tile is 256 hashes (8,192 bytes). The n-th tile at level l holds, for i in 0…255,
//   MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]): the complete subtrees of 256^l leaves,
//   i.e. the tree's nodes at level 8·l, indices n·256 + i.
// - The partial tile at level l of a tree of size s has floor(s / 256^l) mod 256 hashes; empty
//   tiles are never served.
// - `tile/entries/<N>[.p/<W>]`: entry bundles, each entry a big-endian uint16 length then its bytes;
//   entry i of bundle N is leaf N·256 + i.
//
// Like merkle.ts, no 32-bit bitwise operators: indices go to 2^53−1.
import { HASH_SIZE, MerkleError, type NodeBatchReader, type NodeId } from './merkle.ts'

export const TILE_HEIGHT = 8
export const TILE_WIDTH = 256

/** A tile (or entry bundle) and how many hashes (entries) it holds: TILE_WIDTH when full. */
export type TileId = { level: number; index: number; width: number }

const MAX_LEVEL = 63
const MAX_ENTRY = 0xffff

function checkIndex(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new MerkleError(`${name} must be an integer from 0 to 2^53−1, got ${String(value)}`)
}

function checkLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) throw new MerkleError(`tile level must be an integer from 0 to ${MAX_LEVEL}, got ${String(level)}`)
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new MerkleError(`tile width must be an integer from 1 to ${TILE_WIDTH}, got ${String(width)}`)
}

/** `x001/x234/067` for 1234067: 3-digit groups, all but the last prefixed with x. */
function encodeIndex(index: number): string {
  const groups: string[] = []
  let n = index
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'))
    n = Math.floor(n / 1000)
  } while (n > 0)
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/')
}

const suffix = (width: number) => (width === TILE_WIDTH ? '' : `.p/${width}`)

/**
 * The path of a Merkle tree tile, relative to the log's prefix.
 * @example tilePath(0, 1234067) // "tile/0/x001/x234/067"
 * @example tilePath(1, 5, 17)   // "tile/1/005.p/17"
 */
export function tilePath(level: number, index: number, width: number = TILE_WIDTH): string {
  checkLevel(level)
  checkIndex('tile index', index)
  checkWidth(width)
  return `tile/${level}/${encodeIndex(index)}${suffix(width)}`
}

/**
 * The path of an entry bundle, relative to the log's prefix.
 * @example entriesPath(3, 40) // "tile/entries/003.p/40"
 */
export function entriesPath(index: number, width: number = TILE_WIDTH): string {
  checkIndex('entry bundle index', index)
  checkWidth(width)
  return `tile/entries/${encodeIndex(index)}${suffix(width)}`
}

/**
 * Reads a tile or entry bundle path (relative to the log's prefix, e.g. "tile/0/x001/067.p/5").
 * Only the canonical spelling is accepted, so each resource has exactly one path; anything else
 * throws MerkleError saying which part is wrong.
 */
export function parseTilePath(path: string): { level: number; index: number; width: number } | { entries: true; index: number; width: number } {
  if (typeof path !== 'string') throw new MerkleError('tile path must be a string')
  const parts = path.split('/')
  if (parts[0] !== 'tile') throw new MerkleError(`tile path must start with "tile/", got "${path}"`)
  const kind = parts[1]
  if (kind === undefined || kind === '') throw new MerkleError('tile path has no level (tile/<L>/<N> or tile/entries/<N>)')
  let level: number | null = null
  if (kind !== 'entries') {
    if (!/^(0|[1-9][0-9]?)$/.test(kind) || Number(kind) > MAX_LEVEL) throw new MerkleError(`tile level must be 0 to ${MAX_LEVEL} without leading zeroes, got "${kind}"`)
    level = Number(kind)
  }
  let rest = parts.slice(2)
  let width = TILE_WIDTH
  const p = rest.findIndex((s) => s.endsWith('.p'))
  if (p !== -1) {
    if (p !== rest.length - 2) throw new MerkleError(`".p/<W>" must end the tile path, got "${path}"`)
    const w = rest[p + 1]!
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) >= TILE_WIDTH) throw new MerkleError(`partial tile width must be 1 to ${TILE_WIDTH - 1} without leading zeroes, got "${w}"`)
    width = Number(w)
    rest = [...rest.slice(0, p), rest[p]!.slice(0, -2)]
  }
  if (rest.length === 0 || rest.some((g) => g === '')) throw new MerkleError(`tile path has no index, got "${path}"`)
  let index = 0
  rest.forEach((g, i) => {
    const last = i === rest.length - 1
    if (!(last ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(g)) {
      throw new MerkleError(`tile index element "${g}" must be ${last ? 'three digits' : '"x" and three digits'} (e.g. x001/x234/067)`)
    }
    index = index * 1000 + Number(last ? g : g.slice(1))
  })
  if (!Number.isSafeInteger(index)) throw new MerkleError(`tile index ${rest.join('/')} is beyond 2^53−1`)
  if (encodeIndex(index) !== rest.join('/')) throw new MerkleError(`tile index "${rest.join('/')}" is not canonical (write ${encodeIndex(index)})`)
  return level === null ? { entries: true, index, width } : { level, index, width }
}

/**
 * How many hashes tile (level, index) holds in the tree of `size`: TILE_WIDTH when full, the
 * partial width, or 0 when the tree has no such tile yet. Entry bundles are level 0.
 */
export function tileWidth(level: number, index: number, size: number): number {
  checkLevel(level)
  checkIndex('tile index', index)
  checkIndex('size', size)
  const hashes = Math.floor(size / TILE_WIDTH ** level) // complete subtrees of 256^level leaves
  const start = index * TILE_WIDTH
  return Math.max(0, Math.min(TILE_WIDTH, hashes - start))
}

/**
 * The partial tiles of the tree of `size`, lowest level first: at each level l, tile
 * floor(s / 256^(l+1)) of width floor(s / 256^l) mod 256, where that width is not 0. These are
 * exactly the tiles that hold the tree's root nodes (merkle.ts rootNodes), so they are what a
 * client fetches to recompute a checkpoint's root hash, and the partial tiles a log must serve
 * for a size it signed a checkpoint for. Every other tile with hashes is full: at level l those
 * are indices below floor(s / 256^(l+1)).
 */
export function tilesForSize(size: number): TileId[] {
  checkIndex('size', size)
  const out: TileId[] = []
  for (let level = 0, span = 1; span <= size; level++, span *= TILE_WIDTH) {
    const hashes = Math.floor(size / span)
    const width = hashes % TILE_WIDTH
    if (width > 0) out.push({ level, index: Math.floor(hashes / TILE_WIDTH), width })
  }
  return out
}

/** The tree nodes whose hashes, in order, are the bytes of tile (level, index) of `width`: level 8·level, indices index·256 + i. */
export function tileNodes(level: number, index: number, width: number = TILE_WIDTH): NodeId[] {
  checkLevel(level)
  checkIndex('tile index', index)
  checkWidth(width)
  return Array.from({ length: width }, (_, i) => ({ level: TILE_HEIGHT * level, index: index * TILE_WIDTH + i }))
}

/** The bytes of a tile: its hashes concatenated, read in one batch. */
export async function readTile(level: number, index: number, width: number, read: NodeBatchReader): Promise<Buffer> {
  const nodes = tileNodes(level, index, width)
  const hashes = await read(nodes)
  if (hashes.length !== nodes.length) throw new MerkleError(`the node reader answered ${hashes.length} for ${nodes.length} nodes`)
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) throw new MerkleError(`node ${nodes[i]!.level}/${nodes[i]!.index} must be ${HASH_SIZE} bytes, got ${h.length}`)
  })
  return Buffer.concat(hashes)
}

/** The hashes in a tile's bytes (1 to 256 of them). */
export function decodeTile(data: Uint8Array): Buffer[] {
  if (data.length === 0 || data.length % HASH_SIZE !== 0 || data.length > TILE_WIDTH * HASH_SIZE) {
    throw new MerkleError(`a tile must be 1 to ${TILE_WIDTH} hashes of ${HASH_SIZE} bytes, got ${data.length} bytes`)
  }
  const out: Buffer[] = []
  for (let at = 0; at < data.length; at += HASH_SIZE) out.push(Buffer.from(data.subarray(at, at + HASH_SIZE)))
  return out
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes (at most 256 entries of at most 65,535 bytes). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  if (entries.length > TILE_WIDTH) throw new MerkleError(`an entry bundle holds at most ${TILE_WIDTH} entries, got ${entries.length}`)
  const parts: Buffer[] = []
  entries.forEach((e, i) => {
    if (e.length > MAX_ENTRY) throw new MerkleError(`entries[${i}] is ${e.length} bytes; an entry bundle entry is at most ${MAX_ENTRY}`)
    const length = Buffer.alloc(2)
    length.writeUInt16BE(e.length)
    parts.push(length, Buffer.from(e.buffer, e.byteOffset, e.length))
  })
  return Buffer.concat(parts)
}

/** The entries of an entry bundle; a truncated or overlong bundle throws MerkleError naming the entry. */
export function decodeEntryBundle(data: Uint8Array): Buffer[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length)
  const out: Buffer[] = []
  let at = 0
  while (at < buf.length) {
    if (out.length === TILE_WIDTH) throw new MerkleError(`an entry bundle holds at most ${TILE_WIDTH} entries; ${buf.length - at} bytes follow entry ${TILE_WIDTH - 1}`)
    if (at + 2 > buf.length) throw new MerkleError(`entry ${out.length}: the bundle ends inside its 2-byte length (at byte ${at})`)
    const length = buf.readUInt16BE(at)
    if (at + 2 + length > buf.length) throw new MerkleError(`entry ${out.length}: length ${length} runs past the end of the bundle (${buf.length - at - 2} bytes left)`)
    out.push(Buffer.from(buf.subarray(at + 2, at + 2 + length)))
    at += 2 + length
  }
  return out
}
