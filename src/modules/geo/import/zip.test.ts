// The ZIP reader on archives built here: honest ones (stored, deflate, ZIP64 records), damaged
// ones, and hostile ones — a real 1 GiB bomb, a header that lies about its size, overlapping
// entries, too many entries, encryption, unknown methods and names that climb out with "..".
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildZip, zerosDeflated } from './test-files.ts'
import { GeoImportError } from './types.ts'
import { openZip } from './zip.ts'

const thrown = (f: () => unknown): GeoImportError => {
  try { f() } catch (e) { if (e instanceof GeoImportError) return e; throw e }
  throw new Error('expected a GeoImportError')
}

const text = 'شارع '.repeat(2000)

describe('openZip', () => {
  it('lists files (not directories) and reads stored and deflated entries, checking their CRC', () => {
    const zip = openZip(buildZip([
      { name: 'layers/', data: '' },
      { name: 'layers/a.prj', data: 'GEOGCS["x"]', method: 0 },
      { name: 'layers/حلب.dbf', data: text },
      { name: 'empty.cpg', data: '' },
    ]))
    expect(zip.entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['layers/a.prj', 0, 11], ['layers/حلب.dbf', 8, Buffer.byteLength(text)], ['empty.cpg', 8, 0],
    ])
    expect(zip.entries[1]!.compressedSize).toBeLessThan(zip.entries[1]!.size / 10)
    expect(zip.read('layers/a.prj').toString()).toBe('GEOGCS["x"]')
    expect(zip.read(zip.entries[1]!).toString()).toBe(text)
    expect(zip.read('empty.cpg').length).toBe(0)
  })

  it('reads an archive written with ZIP64 records and extra fields', () => {
    const zip = openZip(buildZip([{ name: 'a.txt', data: 'hello' }, { name: 'b.txt', data: text }], { zip64: true }))
    expect(zip.entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt'])
    expect(zip.read('b.txt').toString()).toBe(text)
  })

  describe('damage', () => {
    it.each([
      ['a file that is not a ZIP', Buffer.from('{"type":"FeatureCollection"}'), /not a ZIP archive/],
      ['an archive cut short', buildZip([{ name: 'a.txt', data: text }]).subarray(0, -30), /no end of central directory/],
      ['an empty file', Buffer.alloc(0), /not a ZIP archive/],
    ])('refuses %s as zip_corrupt', (_what, bytes, message) => {
      const e = thrown(() => openZip(bytes))
      expect(e.code).toBe('zip_corrupt')
      expect(e.message).toMatch(message)
    })

    it('refuses an entry whose CRC-32 does not match, naming it', () => {
      const zip = openZip(buildZip([{ name: 'a.dbf', data: text, crc: 12345 }]))
      const e = thrown(() => zip.read('a.dbf'))
      expect([e.code, e.where, e.message]).toEqual(['zip_corrupt', { entry: 'a.dbf' }, 'entry a.dbf: the entry fails its CRC-32 check (damaged in transfer?)'])
    })

    it('refuses deflate data that is not deflate, and data shorter than declared', () => {
      expect(thrown(() => openZip(buildZip([{ name: 'a', compressed: Buffer.from('not deflate at all'), size: 10 }])).read('a')))
        .toMatchObject({ code: 'zip_corrupt', where: { entry: 'a' }, message: /not valid deflate data/ })
      expect(thrown(() => openZip(buildZip([{ name: 'a', data: 'short', size: 6 }])).read('a')))
        .toMatchObject({ code: 'zip_corrupt', message: /inflates to 5 bytes, not the 6/ })
    })

    it('refuses a stored entry whose sizes differ', () => {
      expect(thrown(() => openZip(buildZip([{ name: 'a', data: 'abc', method: 0, size: 4 }])))).toMatchObject({ code: 'zip_corrupt', where: { entry: 'a' } })
    })

    it('refuses a central directory that points outside the file', () => {
      const bytes = buildZip([{ name: 'a.txt', data: 'x' }])
      bytes.writeUInt32LE(bytes.length, bytes.length - 6) // the directory's offset
      expect(thrown(() => openZip(bytes))).toMatchObject({ code: 'zip_corrupt', message: /outside the file/ })
    })
  })

  describe('refusals', () => {
    it('refuses encrypted entries', () => {
      const e = thrown(() => openZip(buildZip([{ name: 'a.shp', data: 'x', flags: 1 }])))
      expect([e.code, e.where]).toEqual(['zip_encrypted', { entry: 'a.shp' }])
      expect(thrown(() => openZip(buildZip([{ name: 'b.shp', data: 'x', method: 99 }]))).code).toBe('zip_encrypted')
    })

    it('refuses compression methods other than stored and deflate, naming them', () => {
      const e = thrown(() => openZip(buildZip([{ name: 'a.shp', compressed: Buffer.from('BZh9'), method: 12 }])))
      expect([e.code, e.message]).toEqual(['zip_unsupported', 'entry a.shp: the entry is compressed with bzip2; only stored and deflate are taken'])
    })

    it.each(['../evil.shp', 'layers/../../evil.shp', '/etc/passwd', 'C:\\evil.shp', '..\\evil.shp'])('refuses the entry name %s', (name) => {
      const e = thrown(() => openZip(buildZip([{ name, data: 'x' }])))
      expect([e.code, e.where]).toEqual(['zip_entry_name_unsafe', { entry: name }])
    })

    it('refuses an archive split into parts', () => {
      const bytes = buildZip([{ name: 'a.txt', data: 'x' }])
      bytes.writeUInt16LE(1, bytes.length - 18) // this disk's number
      expect(thrown(() => openZip(bytes)).code).toBe('zip_unsupported')
    })
  })

  describe('ZIP bombs', () => {
    it('refuses a real 1 GiB bomb (1 MiB of deflate) from its directory, before inflating anything', () => {
      const started = performance.now()
      const bomb = buildZip([{ name: 'zeros.dbf', compressed: zerosDeflated(1024), size: 2 ** 30, crc: 0 }])
      expect(bomb.length).toBeLessThan(2 * 2 ** 20)
      const e = thrown(() => openZip(bomb))
      expect([e.code, e.where]).toEqual(['zip_bomb', { entry: 'zeros.dbf' }])
      expect(e.message).toMatch(/the archive unpacks to more than 536,870,912 bytes/)
      const ratio = thrown(() => openZip(bomb, { maxTotalBytes: 2 ** 31 }))
      expect([ratio.code, ratio.where]).toEqual(['zip_bomb', { entry: 'zeros.dbf' }])
      expect(ratio.message).toMatch(/^entry zeros\.dbf: the entry would unpack 1\d{3} times its size \(1,073,741,824 bytes\); the limit is 200:1$/)
      expect(performance.now() - started).toBeLessThan(5000)
    })

    it('builds bombs that really inflate to their size (checked on 3 MiB, allowed by a higher ratio)', () => {
      const zeros = Buffer.alloc(3 * 2 ** 20)
      const zip = openZip(buildZip([{ name: 'z', compressed: zerosDeflated(3), size: zeros.length, crc: crc32(zeros) }]), { maxRatio: 2000 })
      expect(zip.entries[0]!.compressedSize).toBeLessThan(zeros.length / 1000)
      expect(zip.read('z').equals(zeros)).toBe(true)
    })

    it('refuses the same bomb behind a header that declares 1 MiB, stopping the inflation there', () => {
      const liar = buildZip([{ name: 'zeros.dbf', compressed: zerosDeflated(1024), size: 2 ** 20, crc: 0 }])
      const zip = openZip(liar)
      const before = process.memoryUsage().arrayBuffers
      const e = thrown(() => zip.read('zeros.dbf'))
      expect([e.code, e.message]).toEqual(['zip_bomb', 'entry zeros.dbf: the entry inflates beyond the 1,048,576 bytes it declares'])
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20)
    })

    it('refuses a ratio beyond the limit for an entry over 1 MiB, and lets a small entry compress as well as it can', () => {
      const tenMiB = zerosDeflated(10)
      expect(thrown(() => openZip(buildZip([{ name: 'a.dbf', compressed: tenMiB, size: 10 * 2 ** 20 }])))).toMatchObject({ code: 'zip_bomb', message: /times its size/ })
      const blank = Buffer.alloc(2 ** 19, ' ')
      expect(openZip(buildZip([{ name: 'a.dbf', data: blank }])).read('a.dbf').equals(blank)).toBe(true)
    })

    it('refuses entries that share their bytes (overlapping files)', () => {
      const e = thrown(() => openZip(buildZip([{ name: 'a.dbf', data: text }, { name: 'b.dbf', data: text, sameDataAs: 0 }])))
      expect(e.code).toBe('zip_bomb')
      expect(e.message).toMatch(/overlap/)
    })

    it('refuses more entries than the limit', () => {
      const many = buildZip(Array.from({ length: 1001 }, (_, k) => ({ name: `f${k}.txt`, data: 'x', method: 0 })))
      const e = thrown(() => openZip(many))
      expect([e.code, e.message]).toEqual(['zip_bomb', 'the archive has 1,001 entries; the limit is 1,000'])
      expect(openZip(many, { maxEntries: 2000 }).entries).toHaveLength(1001)
    })

    it('refuses archives whose entries together pass the total', () => {
      const zip = buildZip([{ name: 'a', data: Buffer.alloc(3000, 'a') }, { name: 'b', data: Buffer.alloc(3000, 'b') }])
      expect(openZip(zip, { maxTotalBytes: 6000 }).entries).toHaveLength(2)
      expect(thrown(() => openZip(zip, { maxTotalBytes: 5999 }))).toMatchObject({ code: 'zip_bomb', where: { entry: 'b' } })
    })
  })
})
