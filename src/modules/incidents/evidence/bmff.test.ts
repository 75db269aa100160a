// MP4/MOV metadata blanked as the file streams past: same length, same offsets, no location left,
// in any chunking; a movie cut short is refused at the offset where it ends.
import { describe, expect, it } from 'vitest'
import { childBoxes, iso6709, stripMovieStream, walkIsoBmff, type MovieMetadata } from './bmff.ts'
import { EvidenceError } from './errors.ts'
import { box, buildMp4, chunked, collect, ftyp } from './test-files.ts'

const run = async (bytes: Uint8Array, chunk: number, strip = true) => {
  const found: MovieMetadata = { removed: [] }
  const out = await collect(stripMovieStream(chunked(bytes, chunk), found, { strip }))
  return { out, found }
}
const rejection = async (p: Promise<unknown>): Promise<EvidenceError> => {
  try { await p } catch (e) { if (e instanceof EvidenceError) return e; throw e }
  throw new Error('expected an EvidenceError')
}

describe('stripMovieStream', () => {
  it.each([1, 7, 64, 4096])('blanks moov/udta and moov/meta in %i-byte chunks, moving nothing', async (chunk) => {
    const mp4 = buildMp4()
    const { out, found } = await run(mp4, chunk)
    expect(found.removed).toEqual(['moov/udta', 'moov/meta'])
    expect(found.location).toEqual({ lat: 33.5702, lon: 36.4031 })
    expect(out.length).toBe(mp4.length)
    expect(out.toString('latin1')).not.toMatch(/\+33\.57|Apple|com\.apple\.quicktime\.location/)
    // Only the blanked boxes differ; mdat and the sample table's offsets are the original bytes.
    const top = walkIsoBmff(out)
    expect(top.map((b) => b.type)).toEqual(['ftyp', 'mdat', 'moov'])
    const mdat = top[1]!
    expect(out.subarray(mdat.start, mdat.end).equals(mp4.subarray(mdat.start, mdat.end))).toBe(true)
    const moov = top[2]!
    expect(childBoxes(out, moov.start + 8, moov.end).map((b) => b.type)).toEqual(['mvhd', 'trak', 'free', 'free'])
    const stco = out.indexOf('stco', 0, 'latin1')
    expect(out.readUInt32BE(stco + 12)).toBe(mdat.start + 8)
  })

  it('handles a movie whose index comes before its samples', async () => {
    const mp4 = buildMp4({ moovFirst: true })
    const { out, found } = await run(mp4, 10)
    expect(walkIsoBmff(out).map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat'])
    expect(found.removed).toEqual(['moov/udta', 'moov/meta'])
  })

  it('passes the file through unchanged, still reporting the location, when the reporter opted in', async () => {
    const mp4 = buildMp4()
    const { out, found } = await run(mp4, 13, false)
    expect(out.equals(mp4)).toBe(true)
    expect(found).toEqual({ removed: [], location: { lat: 33.5702, lon: 36.4031 } })
  })

  it('zeroes top-level uuid boxes (XMP) and passes a final box that runs to the end of the file', async () => {
    const xmp = box('uuid', Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'), Buffer.from('<x:xmpmeta GPSLatitude="33"/>'))
    const open = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('mdat'), Buffer.from('samples until the end')])
    const mp4 = Buffer.concat([ftyp('isom', 'isom'), xmp, open])
    const { out, found } = await run(mp4, 5)
    expect(found.removed).toEqual(['uuid'])
    expect(out.length).toBe(mp4.length)
    expect(out.toString('latin1')).not.toContain('GPSLatitude')
    expect(out.subarray(out.length - open.length).equals(open)).toBe(true)
  })

  it.each([
    ['inside the samples', (m: Buffer) => m.subarray(0, 40), 40, /ends inside a box \(it is cut short\)/],
    ['inside a box header', (m: Buffer) => m.subarray(0, 24 + 4), 24, /ends inside a box header/],
    ['with an impossible box size', (m: Buffer) => { const c = Buffer.from(m); c.writeUInt32BE(3, 24); return c }, 24, /impossible size \(3\)/],
  ])('refuses a movie cut or damaged %s, at the offset', async (_what, damage, offset, message) => {
    const e = await rejection(run(damage(buildMp4()), 9))
    expect(e.code).toBe('evidence_malformed')
    expect(e.offset).toBe(offset)
    expect(e.message).toMatch(message)
  })

  it('refuses a moov box whose children do not fit in it', async () => {
    const mp4 = buildMp4()
    const moovAt = mp4.indexOf('moov', 0, 'latin1') - 4
    const bad = Buffer.from(mp4)
    bad.writeUInt32BE(0xffff, moovAt + 8) // mvhd larger than moov
    const e = await rejection(run(bad, 100))
    expect(e.offset).toBe(8)
    expect(e.message).toMatch(/"mvhd" box \(65535 bytes\) does not fit/)
  })
})

describe('iso6709', () => {
  it('reads the positions phones write, and ignores what is out of range', () => {
    expect(iso6709(Buffer.from('+33.5702+036.4031/'))).toEqual({ lat: 33.5702, lon: 36.4031 })
    expect(iso6709(Buffer.from('x-12.5-070.25+012.000/y'))).toEqual({ lat: -12.5, lon: -70.25, altitudeM: 12 })
    expect(iso6709(Buffer.from('+95.0+036.4/'))).toBeNull()
    expect(iso6709(Buffer.from('no position'))).toBeNull()
  })
})
