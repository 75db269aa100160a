// Windows-1252, decoded by hand: Node 24's TextDecoder('windows-1252') gives bytes 0x80–0x9F as
// C1 control characters (nodejs/node#56542), so "Ma’arrat" (0x92) would come out broken. Latin-1
// for the rest, and the code page's own characters for 0x80–0x9F (five of them are unassigned
// and stay as they are).
const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!)
}

/** A decoder like TextDecoder's, with Windows-1252 (and its aliases) decoded correctly. */
export function textDecoder(encoding: string): { decode(bytes: Uint8Array): string } {
  const d = new TextDecoder(encoding)
  return d.encoding === 'windows-1252' ? { decode: decodeWindows1252 } : d
}
