// RFC 8785 JSON Canonicalization Scheme: the exact bytes a submission's hash and signatures
// cover. Keys sort by UTF-16 code units; numbers and strings use ECMAScript serialisation, which
// is what the RFC specifies.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * @example canonicalize({ b: 1, a: [true, 'x'] }) === '{"a":[true,"x"],"b":1}'
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '$')
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false'
    case 'string': return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`)
      return JSON.stringify(value)
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString())
      if (Array.isArray(value)) return `[${value.map((v, i) => serialize(v, `${path}[${i}]`)).join(',')}]`
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v, `${path}.${k}`)}`).join(',')}}`
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`)
  }
}
