// Recognising evidence from its bytes alone, refusing what is not evidence, and the size limits.
import { describe, expect, it } from 'vitest'
import { EvidenceError, toAppError } from './errors.ts'
import { checkComplete, DEFAULT_LIMITS, largestLimit, limitFor, sniffType } from './sniff.ts'
import { box, buildGif, buildHeic, buildJpeg, buildMp4, buildPng, buildWebp, ftyp } from './test-files.ts'

const thrown = (f: () => unknown): EvidenceError => {
  try { f() } catch (e) { if (e instanceof EvidenceError) return e; throw e }
  throw new Error('expected an EvidenceError')
}
const b = (s: string) => Buffer.from(s, 'latin1')

// MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
const mp3Frame = () => Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(413)])
const id3 = () => Buffer.concat([b('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 10]), Buffer.alloc(10)])
const wav = (dataBytes = 8) => {
  const fmt = Buffer.alloc(16)
  fmt.writeUInt16LE(1, 0); fmt.writeUInt16LE(1, 2); fmt.writeUInt32LE(8000, 4); fmt.writeUInt32LE(16000, 8); fmt.writeUInt16LE(2, 12); fmt.writeUInt16LE(16, 14)
  const body = Buffer.concat([b('WAVE'), b('fmt '), Buffer.from([16, 0, 0, 0]), fmt, b('data'), Buffer.from([dataBytes, 0, 0, 0]), Buffer.alloc(dataBytes)])
  const head = Buffer.alloc(8); head.write('RIFF', 0, 'latin1'); head.writeUInt32LE(body.length, 4)
  return Buffer.concat([head, body])
}
const ogg = (packet: Buffer) => Buffer.concat([b('OggS'), Buffer.from([0, 2]), Buffer.alloc(8), Buffer.alloc(12), Buffer.from([1, packet.length]), packet])
// EBML header: EBMLVersion 1, DocType, then an empty Segment.
const ebml = (docType: string) => {
  const doc = Buffer.concat([Buffer.from([0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x80 | docType.length]), b(docType)])
  return Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | doc.length]), doc, Buffer.from([0x18, 0x53, 0x80, 0x67, 0x80])])
}

describe('sniffType', () => {
  it.each([
    ['a JPEG', buildJpeg(), 'jpeg', 'image/jpeg'],
    ['a PNG', buildPng(), 'png', 'image/png'],
    ['a lossless WebP', buildWebp(), 'webp', 'image/webp'],
    ['an extended WebP', buildWebp({ extended: true }), 'webp', 'image/webp'],
    ['a GIF', buildGif(), 'gif', 'image/gif'],
    ['a HEIC', buildHeic(), 'heic', 'image/heic'],
    ['a HEIF of brand mif1', Buffer.concat([ftyp('mif1', 'mif1'), box('meta')]), 'heif', 'image/heif'],
    ['an MP4', buildMp4(), 'mp4', 'video/mp4'],
    ['a QuickTime movie', buildMp4({ brand: 'qt  ' }), 'mov', 'video/quicktime'],
    ['a QuickTime movie from before ftyp', box('moov', box('mvhd')), 'mov', 'video/quicktime'],
    ['a 3GP from an old phone', buildMp4({ brand: '3gp4' }), 'mp4', 'video/3gpp'],
    ['an MP4 of an unknown brand compatible with isom', buildMp4({ brand: 'XYZ1' }), 'mp4', 'video/mp4'],
    ['an M4A voice memo', Buffer.concat([ftyp('M4A ', 'M4A ', 'isom'), box('mdat')]), 'mp4', 'audio/mp4'],
    ['a WebM', ebml('webm'), 'webm', 'video/webm'],
    ['a Matroska file', ebml('matroska'), 'mkv', 'video/x-matroska'],
    ['a PDF', b('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), 'pdf', 'application/pdf'],
    ['English text', Buffer.from('Shelling in Douma since 6am, 3 killed\r\n'), 'text', 'text/plain; charset=utf-8'],
    ['Arabic text with a byte-order mark', Buffer.from('\uFEFFقصف على دوما منذ الصباح'), 'text', 'text/plain; charset=utf-8'],
    ['Russian text', Buffer.from('обстрел Дума, 3 погибших\tутром'), 'text', 'text/plain; charset=utf-8'],
    ['a WAV', wav(), 'wav', 'audio/wav'],
    ['an MP3 with an ID3 tag', Buffer.concat([id3(), mp3Frame(), mp3Frame()]), 'mp3', 'audio/mpeg'],
    ['an MP3 of bare frames', Buffer.concat([mp3Frame(), mp3Frame(), mp3Frame()]), 'mp3', 'audio/mpeg'],
    ['an Ogg Opus voice note', ogg(Buffer.concat([b('OpusHead'), Buffer.alloc(11)])), 'ogg', 'audio/ogg; codecs=opus'],
    ['an Ogg Vorbis file', ogg(Buffer.concat([b('\x01vorbis'), Buffer.alloc(22)])), 'ogg', 'audio/ogg; codecs=vorbis'],
  ])('recognises %s', (_what, bytes, type, mime) => {
    const s = sniffType(bytes, { complete: true })
    expect(s.type).toBe(type)
    expect(s.mime).toBe(mime)
  })

  it('gives an Ogg Theora file the video kind', () => {
    expect(sniffType(ogg(Buffer.concat([b('\x80theora'), Buffer.alloc(34)])))).toEqual({ type: 'ogg', kind: 'video', mime: 'video/ogg' })
  })

  it('reads a UTF-8 character cut at the end of the first bytes as text, but not in a whole file', () => {
    const text = Buffer.from('قصف')
    expect(sniffType(text.subarray(0, 5)).type).toBe('text')
    expect(() => sniffType(text.subarray(0, 5), { complete: true })).toThrow(EvidenceError)
  })

  it('goes by the bytes, not by what a text claims to be', () => {
    // A text that starts like a picture's description is text; a PNG with a text chunk is a PNG.
    expect(sniffType(Buffer.from('JFIF image/jpeg photo.jpg'), { complete: true }).type).toBe('text')
    expect(sniffType(buildPng()).type).toBe('png')
  })

  it.each([
    ['an empty file', Buffer.alloc(0), 'evidence_empty', /empty/],
    ['a ZIP', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(30)]), 'evidence_type_unsupported', /ZIP archive/],
    ['a Windows program', Buffer.concat([b('MZ'), Buffer.alloc(60)]), 'evidence_type_unsupported', /Windows program/],
    ['an ELF program', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]), 'evidence_type_unsupported', /ELF/],
    ['a TIFF', Buffer.concat([b('II*\0'), Buffer.alloc(20)]), 'evidence_type_unsupported', /TIFF/],
    ['an AVIF', Buffer.concat([ftyp('avif', 'mif1', 'avif'), box('meta')]), 'evidence_type_unsupported', /AVIF/],
    ['an ISO media file of a brand we do not know', Buffer.concat([ftyp('abcd', 'efgh'), box('mdat')]), 'evidence_type_unsupported', /brand "abcd"/],
    ['an AVI (RIFF of another form)', Buffer.concat([b('RIFF'), Buffer.from([4, 0, 0, 0]), b('AVI ')]), 'evidence_type_unsupported', /RIFF "AVI "/],
    ['an EBML document that is not WebM or Matroska', ebml('other'), 'evidence_type_unsupported', /EBML document of type "other"/],
    ['FLAC', Buffer.concat([b('fLaC'), Buffer.alloc(40)]), 'evidence_type_unsupported', /FLAC/],
    ['binary noise', Buffer.from([0x00, 0x13, 0x88, 0xfe, 0x01, 0x02, 0x9c, 0x44]), 'evidence_type_unsupported', /this file/],
    ['text with control characters', Buffer.from('abc\u0001\u0002def'), 'evidence_type_unsupported', /this file/],
    ['a lone MPEG frame header followed by noise', Buffer.concat([mp3Frame(), Buffer.from([1, 2, 3, 4, 5])]), 'evidence_type_unsupported', /this file/],
    ['a PNG that does not start with IHDR', Buffer.concat([buildPng().subarray(0, 12), b('IDAT'), Buffer.alloc(8)]), 'evidence_malformed', /at byte 12: .*IHDR/],
    ['an ftyp box of an impossible size', Buffer.concat([Buffer.from([0, 0, 0, 17]), b('ftypisom'), Buffer.alloc(8)]), 'evidence_malformed', /at byte 0: the ftyp box has an impossible size \(17\)/],
  ])('refuses %s', (_what, bytes, code, message) => {
    const e = thrown(() => sniffType(bytes, { complete: true }))
    expect(e.code).toBe(code)
    expect(e.message).toMatch(message)
  })

  it('answers unsupported types with 415, oversized with 413 and malformed with 400 naming the offset', () => {
    expect(toAppError(thrown(() => sniffType(b('MZ\0\0'), { complete: true }))).status).toBe(415)
    const bad = toAppError(thrown(() => sniffType(Buffer.concat([Buffer.from([0, 0, 0, 17]), b('ftypisom'), Buffer.alloc(8)]))))
    expect(bad.status).toBe(400)
    expect(bad.details).toEqual([{ message: 'the ftyp box has an impossible size (17)', offset: 0 }])
  })
})

describe('limits', () => {
  const png = sniffType(buildPng())
  const mp4 = sniffType(buildMp4())
  it('defaults to 25 MB for pictures, 500 MB for video and 50 MB for PDFs', () => {
    expect(limitFor(png)).toBe(25 * 2 ** 20)
    expect(limitFor(mp4)).toBe(500 * 2 ** 20)
    expect(limitFor(sniffType(b('%PDF-1.4\n')))).toBe(50 * 2 ** 20)
    expect(DEFAULT_LIMITS.text).toBe(2 ** 20)
  })
  it('takes a kind\'s limit, and a type\'s over its kind\'s', () => {
    expect(limitFor(png, { image: 10 })).toBe(10)
    expect(limitFor(png, { image: 10, png: 20 })).toBe(20)
    expect(limitFor(mp4, { image: 10 })).toBe(500 * 2 ** 20)
  })
  it('knows the most that may be read before the type is known', () => {
    expect(largestLimit()).toBe(500 * 2 ** 20)
    expect(largestLimit({ video: 1, mp4: 2 ** 31 })).toBe(2 ** 31)
  })
})

describe('checkComplete', () => {
  it('refuses a PDF without %%EOF at its end, at its length', () => {
    const pdf = b('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')
    expect(() => checkComplete('pdf', pdf)).not.toThrow()
    const e = thrown(() => checkComplete('pdf', pdf.subarray(0, 30)))
    expect(e.code).toBe('evidence_malformed')
    expect(e.offset).toBe(30)
  })
  it('names the first byte where a text stops being UTF-8', () => {
    const text = Buffer.concat([Buffer.from('قصف ok'), Buffer.from([0xc3, 0x28]), Buffer.from(' more')])
    const e = thrown(() => checkComplete('text', text))
    expect(e.offset).toBe(Buffer.byteLength('قصف ok'))
  })
})
