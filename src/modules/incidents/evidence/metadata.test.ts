// Location and camera metadata read and stripped from JPEG, PNG, WebP, GIF and HEIC; every
// stripped file re-read by its structural walker with its dimensions (and for PNG its pixels)
// unchanged; damaged files refused at the byte where they break, never turned into broken output.
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { heifItems, walkIsoBmff } from './bmff.ts'
import { EvidenceError } from './errors.ts'
import { readExif } from './exif.ts'
import { walkGif } from './gif.ts'
import { walkJpeg } from './jpeg.ts'
import { checkStripped, readLocation, readMetadata, stripMetadata, validateStructure } from './metadata.ts'
import { walkPng } from './png.ts'
import type { EvidenceType } from './sniff.ts'
import {
  buildGif, buildHeic, buildJpeg, buildPng, buildTiff, buildWebp, gpsEntries, jpegSegments, phoneExif, pngChunk, pngITxt, pngText, riffChunk,
} from './test-files.ts'
import { walkWebp } from './webp.ts'

const thrown = (f: () => unknown): EvidenceError => {
  try { f() } catch (e) { if (e instanceof EvidenceError) return e; throw e }
  throw new Error('expected an EvidenceError')
}
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1')
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="33,34.212N" tiff:Make="Apple"/></rdf:RDF></x:xmpmeta>'

/** A photo as a phone sends it: JFIF, Exif with GPS, XMP, ICC, IPTC, a comment, a vendor block, a motion-photo tail. */
const phoneJpeg = (exif = phoneExif()) => buildJpeg({
  width: 16,
  height: 8,
  app: [jpegSegments.jfif(), jpegSegments.exif(exif), jpegSegments.xmp(XMP), jpegSegments.icc(), jpegSegments.iptc(), jpegSegments.comment('taken near Douma'), jpegSegments.app(12, 'Ducky\0vendor'), jpegSegments.adobe()],
  trailing: Buffer.from('\0\0\0\x18ftypmp42 motion photo video with its own GPS +33.57+036.40/'),
})

describe('readLocation and readMetadata', () => {
  it('reads the GPS position, camera and orientation of a JPEG', () => {
    const jpeg = phoneJpeg(phoneExif({ altitudeM: 712 }))
    const loc = readLocation(jpeg)!
    expect(loc.lat).toBeCloseTo(33.5702, 4)
    expect(loc.lon).toBeCloseTo(36.4031, 4)
    expect(loc.altitudeM).toBeCloseTo(712, 2)
    expect(readMetadata(jpeg)).toMatchObject({
      orientation: 6,
      takenAt: '2016:03:01 14:02:11',
      camera: { make: 'Apple', model: 'iPhone 6', software: '9.2.1', serialNumber: 'F17PX0XXHG7F', lensModel: 'iPhone 6 back camera 4.15mm f/2.2' },
    })
  })

  it('reads southern and western positions, below sea level, in little-endian Exif', () => {
    const loc = readLocation(buildJpeg({ app: [jpegSegments.exif(phoneExif({ lat: -33.8688, lon: -70.6693, altitudeM: -12.5, littleEndian: true }))] }))!
    expect(loc.lat).toBeCloseTo(-33.8688, 4)
    expect(loc.lon).toBeCloseTo(-70.6693, 4)
    expect(loc.altitudeM).toBeCloseTo(-12.5, 2)
  })

  it('reads the position from PNG eXIf, WebP EXIF and a HEIC Exif item', () => {
    expect(readLocation(buildPng({ before: [pngChunk('eXIf', phoneExif())] }))?.lat).toBeCloseTo(33.5702, 4)
    expect(readLocation(buildWebp({ exif: phoneExif({ lon: 35.0 }) }))?.lon).toBeCloseTo(35.0, 4)
    expect(readLocation(buildHeic({ exif: phoneExif({ lat: 36.2 }) }))?.lat).toBeCloseTo(36.2, 4)
  })

  it('answers null for a photo without Exif, Exif without GPS, GPS without a longitude, or a file that is not a photo', () => {
    expect(readLocation(buildJpeg())).toBeNull()
    expect(readLocation(buildJpeg({ app: [jpegSegments.exif(buildTiff({ ifd0: [{ tag: 0x010f, type: 2, values: 'Canon' }] }))] }))).toBeNull()
    expect(readLocation(buildJpeg({ app: [jpegSegments.exif(buildTiff({ gps: gpsEntries(33, 36).slice(0, 3) }))] }))).toBeNull()
    expect(readLocation(Buffer.from('shelling in Douma'))).toBeNull()
  })

  it('reports a damaged Exif block as unreadable instead of refusing the photo', () => {
    const tiff = phoneExif()
    const damaged = Buffer.from(tiff)
    damaged.writeUInt32BE(0xfffffff0, 4) // IFD0 far beyond the block
    const found = readMetadata(buildJpeg({ app: [jpegSegments.exif(damaged)] }), 'jpeg')
    expect(found.location).toBeUndefined()
    expect(found.unreadable).toMatch(/Exif block cannot be read: at byte 4294967280/)
  })

  it('does not read an Exif value whose offset points past the block', () => {
    const tiff = Buffer.from(phoneExif())
    // The Make entry (first of IFD0) is ASCII of 6 bytes, so its value is an offset; point it away.
    tiff.writeUInt32BE(tiff.length + 100, 8 + 2 + 8)
    expect(() => readExif(tiff)).toThrow(/Exif tag 0x10f points past the end of the block/)
  })
})

describe('JPEG', () => {
  it('strips Exif, XMP, IPTC, comments, vendor blocks and the appended video, keeping the picture and its orientation', () => {
    const jpeg = phoneJpeg()
    const result = stripMetadata(jpeg, 'jpeg')
    expect(result.removed).toEqual(['Exif', 'XMP', 'IPTC/Photoshop (APP13)', 'comment', 'APP12', `${jpeg.length - walkJpeg(jpeg).end} bytes after the end of the picture`])
    expect(result.found.location?.lat).toBeCloseTo(33.5702, 4)
    const out = walkJpeg(result.bytes)
    expect([out.width, out.height, out.end]).toEqual([16, 8, result.bytes.length])
    const again = readMetadata(result.bytes, 'jpeg')
    expect(again).toEqual({ camera: {}, orientation: 6 })
    for (const s of ['Apple', 'iPhone', 'F17PX0XXHG7F', 'Douma', 'GPSLatitude', 'motion photo', 'Ducky']) expect(latin1(result.bytes)).not.toContain(s)
    // JFIF, ICC and Adobe stay; the tables, frame and scan are the original's bytes.
    const kept = out.segments.map((s) => s.marker)
    expect(kept).toEqual([0xe0, 0xe1, 0xe2, 0xee, 0xdb, 0xc0, 0xc4, 0xc4, 0xda])
    const scan = (b: Uint8Array) => { const s = walkJpeg(b).segments.find((x) => x.marker === 0xda)!; return Buffer.from(b.subarray(s.start, s.end)) }
    expect(scan(result.bytes).equals(scan(jpeg))).toBe(true)
    expect(() => checkStripped(result, 'jpeg')).not.toThrow()
  })

  it('drops the whole Exif block when the orientation is upright or is not to be kept', () => {
    expect(walkJpeg(stripMetadata(phoneJpeg(phoneExif({ orientation: 1 })), 'jpeg').bytes).segments.some((s) => s.marker === 0xe1)).toBe(false)
    expect(walkJpeg(stripMetadata(phoneJpeg(), 'jpeg', { keepOrientation: false }).bytes).segments.some((s) => s.marker === 0xe1)).toBe(false)
  })

  it('strips a JPEG with a damaged Exif block (the block goes anyway)', () => {
    const damaged = Buffer.from(phoneExif())
    damaged.write('XX', 0, 'latin1')
    const result = stripMetadata(buildJpeg({ app: [jpegSegments.exif(damaged)] }), 'jpeg')
    expect(result.removed).toEqual(['Exif'])
    expect(result.found.unreadable).toMatch(/no TIFF byte order mark/)
  })

  it('walks restart markers and stuffed bytes inside the scan, and fill bytes before a marker', () => {
    const jpeg = buildJpeg()
    const sos = walkJpeg(jpeg).segments.find((s) => s.marker === 0xda)!
    const scan = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff])
    const patched = Buffer.concat([jpeg.subarray(0, sos.payloadEnd), scan, Buffer.from([0xd9])])
    expect(walkJpeg(patched).end).toBe(patched.length)
  })

  it.each([
    ['no SOI', (j: Buffer) => j.subarray(2), 0, /must start with SOI/],
    ['a segment length running past the end', (j: Buffer) => { const c = Buffer.from(j.subarray(0, 30)); return c }, 20, /runs past the end of the file/],
    ['a cut in the scan data', (j: Buffer) => j.subarray(0, j.length - 2), null, /scan data ends without a marker/],
    ['a segment length of 1', (j: Buffer) => { const c = Buffer.from(j); c.writeUInt16BE(1, 22); return c }, 22, /length of 1 is impossible/],
    ['garbage where a marker should be', (j: Buffer) => { const c = Buffer.from(j); c[20] = 0x41; return c }, 20, /expected a JPEG marker, found 0x41/],
  ])('refuses a JPEG with %s, naming the offset', (_what, damage, offset, message) => {
    // The fixture: SOI, JFIF (18 bytes, ends at 20), DQT at 20 …
    const jpeg = buildJpeg({ app: [jpegSegments.jfif()] })
    const bad = damage(jpeg)
    const e = thrown(() => stripMetadata(bad, 'jpeg'))
    expect(e.code).toBe('evidence_malformed')
    if (offset !== null) expect(e.offset).toBe(offset)
    else expect(e.offset).toBe(bad.length)
    expect(e.message).toMatch(message)
  })

  it('refuses a JPEG without a frame header or without a scan', () => {
    const noScan = Buffer.concat([Buffer.from([0xff, 0xd8]), jpegSegments.jfif(), Buffer.from([0xff, 0xd9])])
    expect(thrown(() => walkJpeg(noScan)).message).toMatch(/no frame header/)
  })
})

describe('PNG', () => {
  const phonePng = () => buildPng({
    width: 3,
    height: 2,
    before: [pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])), pngChunk('eXIf', phoneExif()), pngText('Author', 'Abu Ahmad'), pngITxt('XML:com.adobe.xmp', XMP), pngChunk('zTXt', Buffer.from('Comment\0\0x')), pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]))],
    after: [pngChunk('tIME', Buffer.from([0x07, 0xe0, 3, 1, 14, 2, 11])), pngChunk('vpAg', Buffer.alloc(9))],
    trailing: Buffer.from('appended'),
  })

  it('strips eXIf, text chunks, tIME and vendor chunks, keeping gamma, physical size and every pixel', () => {
    const png = phonePng()
    const result = stripMetadata(png, 'png')
    expect(result.removed).toEqual(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME', 'vpAg', '8 bytes after IEND'])
    const out = walkPng(result.bytes)
    // Browsers turn a PNG by its eXIf orientation, so that much stays.
    expect(out.chunks.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'eXIf', 'pHYs', 'IDAT', 'IEND'])
    expect(readMetadata(result.bytes, 'png')).toEqual({ camera: {}, orientation: 6 })
    expect(walkPng(stripMetadata(png, 'png', { keepOrientation: false }).bytes).chunks.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'pHYs', 'IDAT', 'IEND'])
    expect([out.width, out.height, out.end]).toEqual([3, 2, result.bytes.length])
    // It still decodes: the image data inflates to two rows of a filter byte and three RGB pixels.
    const idat = out.chunks.find((c) => c.type === 'IDAT')!
    const pixels = inflateSync(result.bytes.subarray(idat.dataStart, idat.dataEnd))
    expect(pixels.length).toBe(2 * (1 + 3 * 3))
    expect([...pixels.subarray(1, 4)]).toEqual([255, 0, 0])
    expect(readLocation(result.bytes)).toBeNull()
    expect(latin1(result.bytes)).not.toContain('Abu Ahmad')
  })

  it('refuses a chunk that fails its CRC, naming where the CRC is', () => {
    const png = Buffer.from(buildPng())
    png[16] = png[16]! ^ 1 // the IHDR width
    const e = thrown(() => walkPng(png))
    expect(e.offset).toBe(8 + 8 + 13)
    expect(e.message).toMatch(/IHDR fails its CRC/)
  })

  it.each([
    ['in its image data', 50, 33, /the PNG chunk IDAT runs past the end of the file/],
    ['before IEND', -12, -12, /ends before its IEND chunk/],
  ])('refuses a PNG cut %s, naming the offset', (_what, cut, offset, message) => {
    const png = buildPng()
    const e = thrown(() => walkPng(png.subarray(0, cut < 0 ? png.length + cut : cut)))
    expect(e.offset).toBe(offset < 0 ? png.length + offset : offset)
    expect(e.message).toMatch(message)
  })

  it('refuses image data split by another chunk, and a palette picture without a palette', () => {
    const split = buildPng({ after: [pngText('a', 'b'), pngChunk('IDAT', Buffer.alloc(0))] })
    expect(thrown(() => walkPng(split)).message).toMatch(/IDAT\) is split by another chunk/)
    const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(1, 0); ihdr.writeUInt32BE(1, 4); ihdr[8] = 8; ihdr[9] = 3
    const palette = Buffer.concat([buildPng().subarray(0, 8), pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.alloc(2)), pngChunk('IEND', Buffer.alloc(0))])
    expect(thrown(() => walkPng(palette)).message).toMatch(/no PLTE/)
  })
})

describe('WebP', () => {
  it('strips EXIF and XMP, clears their VP8X flags and rewrites the RIFF size', () => {
    const webp = buildWebp({ exif: phoneExif(), xmp: XMP, extra: [riffChunk('ZZZZ', Buffer.from('vendor'))] })
    expect(walkWebp(webp).chunks.map((c) => c.fourcc)).toEqual(['VP8X', 'VP8L', 'EXIF', 'XMP ', 'ZZZZ'])
    const result = stripMetadata(webp, 'webp')
    expect(result.removed).toEqual(['EXIF', 'XMP', 'ZZZZ'])
    const out = walkWebp(result.bytes)
    expect(out.chunks.map((c) => c.fourcc)).toEqual(['VP8X', 'VP8L'])
    expect(result.bytes[20]! & 0x0c).toBe(0) // the VP8X flags byte
    expect(Buffer.from(result.bytes).readUInt32LE(4)).toBe(result.bytes.length - 8)
    expect([out.width, out.height, out.lossless]).toEqual([1, 1, true])
    // The image chunk is the original's, byte for byte.
    const image = (b: Uint8Array) => { const s = walkWebp(b); const c = s.chunks.find((x) => x.fourcc === 'VP8L')!; return Buffer.from(b.subarray(c.start, c.end)) }
    expect(image(result.bytes).equals(image(webp))).toBe(true)
    expect(readLocation(result.bytes)).toBeNull()
  })

  it('leaves a simple WebP as it is', () => {
    const webp = buildWebp()
    const result = stripMetadata(webp, 'webp')
    expect(result.removed).toEqual([])
    expect(Buffer.from(result.bytes).equals(webp)).toBe(true)
  })

  it('reads the dimensions of a lossy VP8 key frame', () => {
    const frame = Buffer.from([0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0, 0])
    const head = Buffer.alloc(12); head.write('RIFF', 0, 'latin1'); head.write('WEBP', 8, 'latin1')
    const body = riffChunk('VP8 ', frame)
    head.writeUInt32LE(body.length + 4, 4)
    expect(validateStructure(Buffer.concat([head, body]), 'webp')).toEqual({ width: 320, height: 240 })
  })

  it('refuses a WebP cut short, or whose chunk overruns the RIFF data', () => {
    const webp = buildWebp({ exif: phoneExif() })
    const cut = thrown(() => walkWebp(webp.subarray(0, webp.length - 10)))
    expect(cut.offset).toBe(webp.length - 10)
    expect(cut.message).toMatch(/announces \d+ bytes but the file has/)
    const over = Buffer.from(webp)
    over.writeUInt32LE(1000, 30 + 4) // the size of the VP8L chunk, after VP8X (12 + 18)
    expect(thrown(() => walkWebp(over)).message).toMatch(/at byte 30: the WebP chunk "VP8L" runs past the end/)
  })
})

describe('GIF', () => {
  it('strips comments and XMP, keeping the looping extension and the picture', () => {
    const gif = buildGif({ comment: 'Douma, 1 March', xmp: XMP })
    const result = stripMetadata(gif, 'gif')
    expect(result.removed).toEqual(['comment', 'XMP'])
    const out = walkGif(result.bytes)
    expect([out.width, out.height, out.frames]).toEqual([1, 1, 1])
    expect(out.blocks.map((b) => b.application ?? b.kind)).toEqual(['NETSCAPE2.0', 'image'])
    expect(latin1(result.bytes)).not.toContain('Douma')
  })

  it('refuses a GIF cut before its trailer', () => {
    const gif = buildGif()
    const e = thrown(() => walkGif(gif.subarray(0, gif.length - 1)))
    expect(e.offset).toBe(gif.length - 1)
  })
})

describe('HEIC', () => {
  it('empties the Exif and XMP items in place: same length, the picture item untouched', () => {
    const heic = buildHeic({ exif: phoneExif(), xmp: XMP })
    const result = stripMetadata(heic, 'heic')
    expect(result.removed).toEqual(['Exif', 'XMP'])
    expect(result.found.location?.lat).toBeCloseTo(33.5702, 4)
    expect(result.bytes.length).toBe(heic.length)
    const items = heifItems(result.bytes)
    const bytesOf = (b: Uint8Array, id: number) => { const e = items.find((i) => i.id === id)!.extents[0]!; return Buffer.from(b.subarray(e.offset, e.offset + e.length)) }
    expect(bytesOf(result.bytes, 1).equals(bytesOf(heic, 1))).toBe(true)
    expect(readMetadata(result.bytes, 'heic')).toEqual({ camera: {} })
    expect(bytesOf(result.bytes, 3).toString()).toMatch(/^<x:xmpmeta xmlns:x="adobe:ns:meta\/"\/> +$/)
    expect(latin1(result.bytes)).not.toMatch(/iPhone|GPSLatitude/)
    expect(walkIsoBmff(result.bytes).map((b) => b.type)).toEqual(['ftyp', 'meta', 'mdat'])
  })

  it('refuses a HEIC whose item lies past the end of the file', () => {
    const heic = buildHeic({ exif: phoneExif() })
    expect(thrown(() => validateStructure(heic.subarray(0, heic.length - 5), 'heic')).message).toMatch(/the "mdat" box .* does not fit/)
  })
})

// Damage every format many ways: cut at every length, flip bytes. Each time, stripping either
// refuses with evidence_malformed or gives a file that walks, keeps its dimensions and holds no
// location — never a broken file, never another kind of error.
describe('damaged files never produce broken output', () => {
  const fixtures: [EvidenceType, Buffer][] = [
    ['jpeg', phoneJpeg()],
    ['png', buildPng({ width: 2, height: 2, before: [pngChunk('eXIf', phoneExif())] })],
    ['webp', buildWebp({ exif: phoneExif(), xmp: XMP })],
    ['gif', buildGif({ comment: 'c', xmp: XMP })],
    ['heic', buildHeic({ exif: phoneExif(), xmp: XMP })],
  ]
  let seed = 42
  const random = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31 }

  it.each(fixtures)('%s', (type, file) => {
    const outcomes = { refused: 0, stripped: 0 }
    const attempt = (bytes: Buffer) => {
      let result
      try {
        result = stripMetadata(bytes, type)
      } catch (e) {
        if (!(e instanceof EvidenceError) || e.code !== 'evidence_malformed') throw e
        outcomes.refused++
        return
      }
      checkStripped(result, type)
      if (type === 'heic') heifItems(result.bytes)
      outcomes.stripped++
    }
    for (let n = 0; n < file.length; n++) attempt(file.subarray(0, n))
    for (let k = 0; k < 400; k++) {
      const damaged = Buffer.from(file)
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256)
      attempt(damaged)
    }
    expect(outcomes.refused).toBeGreaterThan(file.length / 2)
  })
})
