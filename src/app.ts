// Builds the server from the modules: plugins, the principal of each request, the one error
// format, OpenAPI, the web client, and every domain's routes.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createPublicKey, randomUUID, verify } from 'node:crypto'
import { Readable } from 'node:stream'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify'
import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { AppError, forbidden, unauthenticated } from './lib/errors.ts'
import { createJobs, type Jobs } from './lib/jobs.ts'
import { ANONYMOUS, decide, type Principal, type SignedStatement } from './modules/access/access.policy.ts'
import { canonicalize } from './lib/canonical-json.ts'
import { partiesService } from './modules/parties/parties.service.ts'
import { accessRoutes, SESSION_COOKIE } from './modules/access/access.routes.ts'
import { accessService } from './modules/access/access.service.ts'
import { actorRoutes } from './modules/actors/actors.routes.ts'
import { geoRoutes } from './modules/geo/geo.routes.ts'
import { tileRoutes } from './modules/geo/tiles.routes.ts'
import { reportRoutes } from './modules/incidents/reports.routes.ts'
import { reportImportRoutes } from './modules/incidents/reports.import.routes.ts'
import { incidentRoutes } from './modules/incidents/incidents.routes.ts'
import { smsRoutes } from './modules/incidents/sms.routes.ts'
import { evidenceRoutes } from './modules/incidents/evidence.routes.ts'
import { complianceRoutes } from './modules/incidents/compliance.routes.ts'
import { verificationRoutes } from './modules/incidents/verification.routes.ts'
import { createReattributor, type Reattributor } from './modules/geo/geo.places.ts'
import { ogcRoutes } from './modules/geo/ogc.routes.ts'
import { agreementRoutes } from './modules/agreements/agreements.routes.ts'
import { ledgerRoutes } from './modules/ledger/ledger.routes.ts'
import { logRoutes } from './modules/log/log.routes.ts'
import { partyRoutes } from './modules/parties/parties.routes.ts'
import { systemRoutes } from './modules/system/system.routes.ts'

export type AppOptions = {
  db: Database
  config: Config
  logger?: FastifyServerOptions['logger']
  /** Sees every route as it is added, plugins' included (the authorization matrix test lists them). */
  onRoute?: (route: RouteOptions) => void
}

declare module 'fastify' {
  interface FastifyInstance { db: Database; config: Config; jobs: Jobs; reattributor: Reattributor }
  interface FastifyRequest {
    /**
     * A signed upload (a file streamed as the body): the signature covers {method, path, body:
     * {sha256}} with the file's SHA-256, so it is checked once the route has read the file.
     */
    verifyUpload?: (sha256: string) => Promise<SignedStatement>
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const PG_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'already_exists', 'A record with the same unique value exists.'],
  '23503': [400, 'unknown_reference', 'The request refers to a record that does not exist.'],
  '23514': [400, 'constraint_violated', 'The request breaks a rule of the record.'],
  '22P02': [400, 'invalid_value', 'A value has the wrong form.'],
  '55000': [409, 'append_only', 'That record cannot be changed.'],
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, config } = options
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,128}$/.test(given) ? given : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { strict: false } },
  })
  // Closed by default: an API route that forgets its policy stops the server from starting,
  // rather than answering everyone. Only the plugin-served docs UI has none.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs') && route.config?.policy === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} has no policy`)
    }
  })
  if (options.onRoute) app.addHook('onRoute', options.onRoute)
  app.decorate('db', db)
  app.decorate('config', config)
  app.decorate('jobs', createJobs())
  // After geo writes commit, places around the changed areas are attributed again (geo.places.ts).
  app.decorate('reattributor', createReattributor(db.kysely, app.log))
  // A job still running writes to the database: let it end before the database closes.
  app.addHook('onClose', async () => { await app.jobs.settle(); app.reattributor.stop(); await app.reattributor.settle() })
  app.decorateRequest('principal', { getter: () => ANONYMOUS })
  // zod does the validating inside each route (after authorization); fastify only documents.
  app.setValidatorCompiler(() => (data) => ({ value: data }))
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))

  await app.register(fastifyCookie)
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Truce API', version: '0.1.0', description: 'Put a ceasefire agreement into practice and verify it.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', description: 'truce_<prefix>_<secret>' },
        },
      },
    },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  const access = accessService(db.kysely)
  const parties = partiesService(db.kysely)

  /**
   * x-truce-signature: keyid=<party key id>, sig=<base64 Ed25519 signature> over the RFC 8785
   * canonical JSON of {method, path, body}: a statement the client builds before sending. A
   * header that does not verify refuses the request; it never falls back to unsigned.
   */
  async function verifySignedRequest(method: string, path: string, body: unknown, header: string, partyId: string): Promise<SignedStatement> {
    return (await signatureChecker(header, partyId))(method, path, body)
  }

  /** Reads the header and finds the party's key now; the returned check verifies a statement's body. */
  async function signatureChecker(header: string, partyId: string): Promise<(method: string, path: string, body: unknown) => SignedStatement> {
    const bad = (message: string) =>
      new AppError(401, 'invalid_signature', 'The request signature does not verify.', [{ path: 'header.x-truce-signature', message }])
    const fields = Object.fromEntries(header.split(',').map((p) => p.trim().split('=').map((x) => x.trim())).filter((kv) => kv.length >= 2)
      .map(([k, ...v]) => [k!.toLowerCase(), v.join('=')]))
    const keyId = fields.keyid
    const sig = fields.sig
    if (!keyId || !/^[0-9a-f-]{36}$/i.test(keyId) || !sig || !/^[A-Za-z0-9+/]+={0,2}$/.test(sig)) throw bad('expected keyid=<uuid>, sig=<base64>')
    const publicKey = await parties.activeKey(partyId, keyId, new Date())
    if (!publicKey) throw bad('no key of your party with that id is valid now')
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]), format: 'der', type: 'spki' })
    return (method, path, body) => {
      const statement = canonicalize({ method, path, body: body ?? null })
      if (!verify(null, Buffer.from(statement, 'utf8'), key, Buffer.from(sig, 'base64'))) throw bad('signature does not match the statement')
      return { statement, signature: sig, partyKeyId: keyId }
    }
  }
  // Who is asking, and may they use this route at all. Runs before body validation, so an
  // unauthenticated caller learns nothing about a route's contract.
  app.addHook('preValidation', async (request) => {
    const policy = request.routeOptions.config.policy
    if (policy === undefined) return
    let principal: Principal = ANONYMOUS
    const auth = request.headers.authorization
    const cookie = request.cookies[SESSION_COOKIE]
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth)
      const found = m ? await access.fromApiKey(m[1]!) : null
      if (!found) throw new AppError(401, 'invalid_api_key', 'The API key is unknown, expired or revoked.')
      principal = found
    } else if (cookie !== undefined) {
      const found = await access.fromSession(cookie)
      if (found) {
        if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== found.csrfToken) {
          throw new AppError(403, 'csrf_token_invalid', 'The x-csrf-token header is missing or wrong.')
        }
        principal = found.principal
      }
    }
    const signatureHeader = request.headers['x-truce-signature']
    if (typeof signatureHeader === 'string' && principal.partyId !== null) {
      if (request.body instanceof Readable) {
        const check = await signatureChecker(signatureHeader, principal.partyId)
        const { method, url } = request
        request.verifyUpload = async (sha256) => check(method, url, { sha256 })
      } else {
        principal = { ...principal, signed: await verifySignedRequest(request.method, request.url, request.body, signatureHeader, principal.partyId) }
      }
    }
    Object.defineProperty(request, 'principal', { value: principal, enumerable: true })
    const decision = decide(policy, principal)
    if (decision === 'unauthenticated') throw unauthenticated()
    if (decision === 'forbidden') throw forbidden(policy)
  })

  app.setErrorHandler((error, request, reply) => {
    const body = (code: string, message: string, details: unknown[] = []) =>
      ({ error: { code, message, details }, requestId: request.id })
    if (error instanceof AppError) {
      if (error.status === 429) {
        const retry = error.details[0]?.retryAfterSeconds
        if (typeof retry === 'number') reply.header('retry-after', String(retry))
      }
      return reply.code(error.status).send(body(error.code, error.message, error.details))
    }
    const e = error as { code?: string; statusCode?: number; message?: string }
    if (typeof e.code === 'string' && PG_ERRORS[e.code]) {
      const [status, code, message] = PG_ERRORS[e.code]!
      request.log.info({ err: error }, 'database refused a write')
      return reply.code(status).send(body(code, message))
    }
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(body('payload_too_large', `The body is larger than ${config.bodyLimit} bytes.`))
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(body('unsupported_media_type', 'Send application/json.'))
    }
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.code(400).send(body('malformed_json', 'The body is not valid JSON.', [{ path: 'body', message: e.message ?? '' }]))
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(body('bad_request', e.message ?? 'Bad request.'))
    }
    request.log.error({ err: error }, 'unhandled error')
    return reply.code(500).send(body('internal_error', 'Something went wrong on our side; the request id identifies it in the logs.'))
  })

  await app.register(systemRoutes)
  await app.register(accessRoutes)
  await app.register(partyRoutes)
  await app.register(ledgerRoutes)
  await app.register(logRoutes)
  await app.register(agreementRoutes)
  await app.register(actorRoutes)
  await app.register(geoRoutes)
  await app.register(tileRoutes)
  await app.register(reportRoutes)
  await app.register(reportImportRoutes)
  await app.register(incidentRoutes)
  await app.register(smsRoutes)
  await app.register(evidenceRoutes)
  await app.register(complianceRoutes)
  await app.register(verificationRoutes)
  await app.register(ogcRoutes)

  const indexHtml = join(config.webDist, 'index.html')
  const hasWeb = existsSync(indexHtml)
  if (hasWeb) {
    await app.register(fastifyStatic, { root: config.webDist, prefix: '/', wildcard: false, index: ['index.html'] })
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    if (hasWeb && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/log/') && !path.startsWith('/ogc') && !path.startsWith('/tiles/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html').sendFile('index.html')
    }
    return reply.code(404).send({ error: { code: 'route_not_found', message: `No route ${request.method} ${path}.`, details: [] }, requestId: request.id })
  })
  return app
}
