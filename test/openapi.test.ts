// The OpenAPI document is generated from the same zod schemas that validate requests, so it must
// describe every route the server answers, with its body contract and its security.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, makeTestApp, type TestApp } from './helpers/app.ts'

type Schema = { type?: string; required?: string[]; additionalProperties?: unknown; properties?: Record<string, Schema>; items?: Schema }
type Operation = {
  summary?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { in: string; name: string; required?: boolean }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  responses?: Record<string, unknown>
}
type Document = {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown> }
}

/** "METHOD /path" for every route in fastify's printRoutes tree (HEAD left out: fastify adds it to every GET). */
function routesOf(tree: string): string[] {
  const prefixes: string[] = []
  const out: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    const path = (depth > 0 ? prefixes[depth - 1] ?? '' : '') + m[2]!
    prefixes.length = depth
    prefixes[depth] = path
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push(`${method} ${path}`)
  }
  return out
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}')
const SAMPLE_PARAMS: Record<string, string> = { id: randomUUID(), provisionId: randomUUID(), keyId: randomUUID(), revision: '1' }

describe('OpenAPI', () => {
  let t: TestApp
  let doc: Document
  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))

  beforeAll(async () => {
    // No web client: only the API's own routes (and the docs UI) are registered.
    t = await makeTestApp('pglite', { TRUCE_WEB_DIST: '/nonexistent-truce-web-dist' })
    const res = await anonymous(t.app).request('GET', '/api/openapi.json')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    doc = res.json() as Document
  })
  afterAll(async () => { await t?.close() })

  it('is OpenAPI 3.1.0 with a title and version', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toMatchObject({ title: 'Truce API', version: expect.any(String) })
  })

  it('lists every route the server answers, and no other', () => {
    const served = routesOf(t.app.printRoutes({ commonPrefix: false }))
      .filter((r) => !r.split(' ')[1]!.startsWith('/api/docs'))
      .map((r) => { const [method, path] = r.split(' '); return `${method} ${toOpenApiPath(path!)}` })
    expect(served.length).toBeGreaterThan(15)
    const documented = operations().map((o) => `${o.method} ${o.path}`)
    expect(documented.sort()).toEqual([...new Set(served)].sort())
    for (const route of ['POST /api/agreements', 'PATCH /api/agreements/{id}', 'GET /api/agreements/{id}/revisions/{revision}',
      'POST /api/agreements/{id}/provisions/{provisionId}/status', 'POST /api/auth/login', 'GET /healthz']) {
      expect(documented).toContain(route)
    }
  })

  it('gives every operation a summary and tags', () => {
    for (const { method, path, op } of operations()) {
      expect(op.summary, `${method} ${path}`).toMatch(/\S{3,}/)
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0)
    }
  })

  it('declares every path parameter', () => {
    for (const { method, path, op } of operations()) {
      const inPath = [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1])
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
      expect(declared.sort(), `${method} ${path}`).toEqual(inPath.sort())
    }
  })

  it('carries the zod contract of a request body: required fields, no unknown fields', () => {
    const create = doc.paths['/api/agreements']!.post!
    const schema = create.requestBody!.content['application/json']!.schema
    expect(schema.type).toBe('object')
    expect(schema.required).toEqual(expect.arrayContaining(['slug', 'title', 'theatre', 'status', 'visibility']))
    expect(schema.required).not.toContain('summary')
    expect(schema.additionalProperties).toBe(false)
    expect(Object.keys(schema.properties!)).toEqual(expect.arrayContaining(['slug', 'title', 'provisions', 'parties', 'effectiveFrom', 'effectiveTo']))
    const provision = schema.properties!.provisions!.items!
    expect(provision.additionalProperties).toBe(false)
    expect(provision.required).toEqual(expect.arrayContaining(['number', 'category', 'text']))

    const amend = doc.paths['/api/agreements/{id}']!.patch!.requestBody!.content['application/json']!.schema
    expect(amend.required).toEqual(expect.arrayContaining(['version', 'note']))
    expect(amend.additionalProperties).toBe(false)

    const login = doc.paths['/api/auth/login']!.post!.requestBody!.content['application/json']!.schema
    expect(login.required!.sort()).toEqual(['email', 'password'])
  })

  it('documents query parameters and responses', () => {
    const list = doc.paths['/api/agreements']!.get!
    expect((list.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'status', 'theatre'])
    expect(Object.keys(list.responses ?? {})).toContain('200')
    expect(Object.keys(doc.paths['/api/agreements']!.post!.responses ?? {})).toContain('201')
  })

  it('declares security exactly on the routes that turn anonymous callers away', async () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session'])
    const anon = anonymous(t.app)
    let secured = 0
    for (const { method, path, op } of operations()) {
      const url = path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => SAMPLE_PARAMS[name] ?? 'x')
      const res = await anon.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {})
      const refused = res.statusCode === 401
      expect(op.security !== undefined, `${method} ${path} answered ${res.statusCode}`).toBe(refused)
      if (refused) {
        secured++
        expect(op.security).toEqual([{ session: [] }, { apiKey: [] }])
      }
    }
    expect(secured).toBeGreaterThan(5)
  })

  it('serves the interactive docs as HTML', async () => {
    const anon = anonymous(t.app)
    let res = await anon.request('GET', '/api/docs')
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      const location = String(res.headers.location)
      res = await anon.request('GET', location.startsWith('/') ? location : `/api/docs/${location.replace(/^\.\//, '')}`)
    }
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toMatch(/<html/i)
    expect(res.body.toLowerCase()).toContain('swagger')
  })
})
