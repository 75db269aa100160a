// C2SP tlog-tiles: paths as the spec spells them, which tiles a tree has (the spec's own
// examples), tile bytes from the node store, and entry bundles.
import { describe, expect, it } from 'vitest'
import { appendNodes, leafHash, MerkleError, nodeHash, rootNodes, rootOf, type NodeBatchReader } from './merkle.ts'
import {
  decodeEntryBundle, decodeTile, encodeEntryBundle, entriesPath, parseTilePath, readTile, TILE_HEIGHT, TILE_WIDTH, tileNodes,
  tilePath, tilesForSize, tileWidth,
} from './tiles.ts'

describe('tile paths', () => {
  it('encode the index in x-prefixed 3-digit groups, as the spec example does', () => {
    expect(TILE_HEIGHT).toBe(8)
    expect(TILE_WIDTH).toBe(256)
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067')
    expect(tilePath(0, 0)).toBe('tile/0/000')
    expect(tilePath(2, 999)).toBe('tile/2/999')
    expect(tilePath(1, 1000)).toBe('tile/1/x001/000')
    expect(tilePath(0, 5, 17)).toBe('tile/0/005.p/17')
    expect(tilePath(0, 5, 256)).toBe('tile/0/005')
    expect(entriesPath(1234067)).toBe('tile/entries/x001/x234/067')
    expect(entriesPath(3, 40)).toBe('tile/entries/003.p/40')
    expect(tilePath(0, 2 ** 53 - 1)).toBe('tile/0/x009/x007/x199/x254/x740/991')
  })

  it('parse back to what made them', () => {
    const cases = [[0, 0, 256], [0, 1234067, 256], [1, 1000, 17], [5, 2 ** 45 + 3, 1], [63, 7, 255], [0, 2 ** 53 - 1, 256]] as const
    for (const [level, index, width] of cases) {
      expect(parseTilePath(tilePath(level, index, width))).toEqual({ level, index, width })
      expect(parseTilePath(entriesPath(index, width))).toEqual({ entries: true, index, width })
    }
  })

  it.each([
    ['tile/0', /no index/],
    ['tiles/0/000', /must start with "tile\/"/],
    ['/tile/0/000', /must start with "tile\/"/],
    ['tile/00/000', /level must be 0 to 63 without leading zeroes/],
    ['tile/64/000', /level must be 0 to 63/],
    ['tile/-1/000', /level must be/],
    ['tile/0/1', /"1" must be three digits/],
    ['tile/0/001/002', /"001" must be "x" and three digits/],
    ['tile/0/x001', /"x001" must be three digits/],
    ['tile/0/x000/001', /not canonical \(write 001\)/],
    ['tile/0/001.p/0', /width must be 1 to 255/],
    ['tile/0/001.p/256', /width must be 1 to 255/],
    ['tile/0/001.p/017', /without leading zeroes/],
    ['tile/0/x001.p/5/002', /must end the tile path/],
    ['tile/0/001.p', /must end the tile path/],
    ['tile/entries/', /no index/],
    ['tile/0/x009/x007/x199/x254/x740/992', /beyond 2\^53−1/],
    ['tile/0/00a', /three digits/],
    ['tile//000', /no level/],
  ])('%s is refused', (path, message) => {
    expect(() => parseTilePath(path)).toThrow(MerkleError)
    expect(() => parseTilePath(path)).toThrow(message)
  })

  it('refuse to build a path for what no tile can be', () => {
    expect(() => tilePath(64, 0)).toThrow(/level must be an integer from 0 to 63/)
    expect(() => tilePath(0, -1)).toThrow(/tile index must be an integer/)
    expect(() => tilePath(0, 0, 0)).toThrow(/width must be an integer from 1 to 256/)
    expect(() => entriesPath(1.5)).toThrow(/entry bundle index must be an integer/)
  })
})

describe('which tiles a tree has', () => {
  it('a tree of 70,000: 273 full level 0 tiles, partial of 112; one full level 1, partial of 17; partial level 2 of 1 (the spec example)', () => {
    expect(tilesForSize(70_000)).toEqual([{ level: 0, index: 273, width: 112 }, { level: 1, index: 1, width: 17 }, { level: 2, index: 0, width: 1 }])
    expect(tileWidth(0, 272, 70_000)).toBe(256)
    expect(tileWidth(0, 273, 70_000)).toBe(112)
    expect(tileWidth(0, 274, 70_000)).toBe(0)
    expect(tileWidth(1, 0, 70_000)).toBe(256)
    expect(tileWidth(1, 1, 70_000)).toBe(17)
    expect(tileWidth(2, 0, 70_000)).toBe(1)
    expect(tileWidth(3, 0, 70_000)).toBe(0)
  })

  it('a tree of 256: a full level 0 tile and a partial level 1 tile of width 1 (the spec example)', () => {
    expect(tilesForSize(256)).toEqual([{ level: 1, index: 0, width: 1 }])
    expect(tileWidth(0, 0, 256)).toBe(256)
    expect(tilesForSize(0)).toEqual([])
    expect(tilesForSize(1)).toEqual([{ level: 0, index: 0, width: 1 }])
  })

  it('the partial tiles hold every root node of the tree, up to 2^53−1', () => {
    for (const size of [1, 255, 256, 257, 65_535, 65_536, 70_000, 2 ** 31 + 5, 2 ** 40 + 3, 2 ** 52 + 1, 2 ** 53 - 1]) {
      const tiles = tilesForSize(size)
      for (const n of rootNodes(size)) {
        const level = Math.floor(n.level / TILE_HEIGHT)
        const tile = tiles.find((t) => t.level === level)
        expect(tile, `root node ${n.level}/${n.index} of ${size}`).toBeDefined()
        const span = 2 ** (n.level - TILE_HEIGHT * level) // tile hashes under this node
        expect(n.index * span).toBeGreaterThanOrEqual(tile!.index * TILE_WIDTH)
        expect((n.index + 1) * span).toBeLessThanOrEqual(tile!.index * TILE_WIDTH + tile!.width)
      }
      for (const t of tiles) expect(tileWidth(t.level, t.index, size)).toBe(t.width)
    }
  })
})

describe('tile bytes', () => {
  it('a level 1 tile is the roots of full level 0 tiles, and its bytes come from the node store in one read', async () => {
    const size = 256 * 3 + 10
    const leaves = Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`entry ${i}`)))
    const store = new Map<string, Buffer>()
    let reads = 0
    const read: NodeBatchReader = async (ns) => {
      reads++
      return ns.map((n) => store.get(`${n.level}/${n.index}`)!)
    }
    for (const n of await appendNodes(0, leaves, read)) store.set(`${n.level}/${n.index}`, n.hash)
    reads = 0
    const level1 = decodeTile(await readTile(1, 0, tileWidth(1, 0, size), read))
    expect(reads).toBe(1)
    expect(level1).toEqual([0, 1, 2].map((t) => rootOf(leaves.slice(t * 256, (t + 1) * 256))))
    const partial = await readTile(0, 3, tileWidth(0, 3, size), read)
    expect(partial.length).toBe(10 * 32)
    expect(decodeTile(partial)).toEqual(leaves.slice(768))
    // The tree's root from the partial tiles alone, as a client would compute it.
    const tiles = tilesForSize(size)
    expect(tiles).toEqual([{ level: 0, index: 3, width: 10 }, { level: 1, index: 0, width: 3 }])
    const h1 = decodeTile(await readTile(1, 0, 3, read))
    const h0 = decodeTile(partial)
    const tail = nodeHash(nodeHash(nodeHash(h0[0]!, h0[1]!), nodeHash(h0[2]!, h0[3]!)), nodeHash(nodeHash(h0[4]!, h0[5]!), nodeHash(h0[6]!, h0[7]!)))
    const root = nodeHash(nodeHash(h1[0]!, h1[1]!), nodeHash(h1[2]!, nodeHash(tail, nodeHash(h0[8]!, h0[9]!))))
    expect(root).toEqual(rootOf(leaves))
    expect(tileNodes(2, 1, 2)).toEqual([{ level: 16, index: 256 }, { level: 16, index: 257 }])
  })

  it('tile bytes that are not whole hashes are refused', () => {
    expect(() => decodeTile(Buffer.alloc(33))).toThrow(/1 to 256 hashes of 32 bytes, got 33 bytes/)
    expect(() => decodeTile(Buffer.alloc(0))).toThrow(MerkleError)
    expect(() => decodeTile(Buffer.alloc(257 * 32))).toThrow(MerkleError)
  })
})

describe('entry bundles', () => {
  it('are big-endian uint16 length-prefixed entries, and decode back', () => {
    const entries = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(300, 7), Buffer.alloc(65_535, 1)]
    const bundle = encodeEntryBundle(entries)
    expect(bundle.subarray(0, 7)).toEqual(Buffer.from([0, 5, 0x68, 0x65, 0x6c, 0x6c, 0x6f]))
    expect(bundle.subarray(7, 9)).toEqual(Buffer.from([0, 0]))
    expect(bundle.subarray(9, 11)).toEqual(Buffer.from([0x01, 0x2c]))
    expect(decodeEntryBundle(bundle)).toEqual(entries)
    expect(decodeEntryBundle(new Uint8Array())).toEqual([])
    const full = Array.from({ length: 256 }, (_, i) => Buffer.from(`entry ${i}`))
    expect(decodeEntryBundle(encodeEntryBundle(full))).toEqual(full)
  })

  it('refuse what the encoding cannot carry, and name the entry that is broken', () => {
    expect(() => encodeEntryBundle([Buffer.alloc(1), Buffer.alloc(65_536)])).toThrow(/entries\[1\] is 65536 bytes/)
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => Buffer.alloc(1)))).toThrow(/at most 256 entries/)
    const bundle = encodeEntryBundle([Buffer.from('abc'), Buffer.from('defg')])
    expect(() => decodeEntryBundle(bundle.subarray(0, bundle.length - 1))).toThrow(/entry 1: length 4 runs past the end/)
    expect(() => decodeEntryBundle(bundle.subarray(0, 6))).toThrow(/entry 1: the bundle ends inside its 2-byte length/)
    expect(() => decodeEntryBundle(Buffer.concat([encodeEntryBundle(Array.from({ length: 256 }, () => Buffer.alloc(0))), Buffer.from([0, 0])]))).toThrow(/at most 256 entries/)
  })
})
