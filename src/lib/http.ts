// Routes as pipelines: authorize (from the route's policy) → validate (zod) → one handler call →
// present. zod schemas are the single contract: they validate requests here and become the
// OpenAPI 3.1 document through z.toJSONSchema, so the docs cannot drift from the checks.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Principal, RoutePolicy } from '../modules/access/access.policy.ts'
import { submissionContext } from '../modules/ledger/ledger.service.ts'
import { validationFailed, type ErrorDetail } from './errors.ts'

declare module 'fastify' {
  interface FastifyContextConfig { policy?: RoutePolicy }
  interface FastifyRequest { principal: Principal }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
type Schema = z.ZodType

export type Ctx<P extends Schema, Q extends Schema, B extends Schema> = {
  principal: Principal
  params: z.output<P>
  query: z.output<Q>
  body: z.output<B>
  request: FastifyRequest
  reply: FastifyReply
  /** Answers with this status instead of the route's (e.g. 200 for an idempotent replay of a create). */
  answerWith: (status: number) => void
}

export type RouteDef<P extends Schema, Q extends Schema, B extends Schema, R extends Schema> = {
  method: Method
  url: string
  policy: RoutePolicy
  summary: string
  tags: string[]
  params?: P
  query?: Q
  body?: B
  response?: R
  /** Status of a successful answer (201 for creates, 204 for no content). */
  status?: number
  handler: (ctx: Ctx<P, Q, B>) => Promise<z.input<R> | undefined>
}

const empty = z.strictObject({})

export function toJsonSchema(schema: Schema): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

/** zod issues → error details with a dotted path rooted at where the value came from. */
export function issuesToDetails(root: string, error: z.ZodError): ErrorDetail[] {
  const details: ErrorDetail[] = []
  for (const issue of error.issues) {
    const base = [root, ...issue.path.map(String)].join('.')
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: `${base}.${key}`, code: 'unknown_field', message: 'unknown field' })
    } else {
      const code = issue.code === 'custom' && issue.params && typeof issue.params.code === 'string' ? issue.params.code : issue.code
      details.push({ path: base, code, message: issue.message })
    }
  }
  return details
}

function parsePart<S extends Schema>(schema: S, root: string, value: unknown, details: ErrorDetail[]): z.output<S> {
  const result = schema.safeParse(value ?? {})
  if (result.success) return result.data
  details.push(...issuesToDetails(root, result.error))
  return undefined as z.output<S>
}

export function defineRoute<P extends Schema = typeof empty, Q extends Schema = typeof empty, B extends Schema = typeof empty, R extends Schema = Schema>(
  app: FastifyInstance, def: RouteDef<P, Q, B, R>,
): void {
  const status = def.status ?? 200
  app.route({
    method: def.method,
    url: def.url,
    config: { policy: def.policy },
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.params ? { params: toJsonSchema(def.params) } : {}),
      ...(def.query ? { querystring: toJsonSchema(def.query) } : {}),
      ...(def.body ? { body: toJsonSchema(def.body) } : {}),
      ...(def.response ? { response: { [status]: toJsonSchema(def.response) } } : {}),
      ...(def.policy === 'public' ? {} : { security: [{ session: [] }, { apiKey: [] }] }),
    },
    handler: async (request, reply) => {
      const details: ErrorDetail[] = []
      const params = parsePart((def.params ?? empty) as P, 'params', request.params, details)
      const query = parsePart((def.query ?? empty) as Q, 'query', request.query, details)
      const body = def.body ? parsePart(def.body, 'body', request.body, details) : undefined
      if (!def.body && request.body !== undefined && request.body !== null && def.method !== 'GET') {
        const keys = typeof request.body === 'object' ? Object.keys(request.body as object) : ['']
        if (keys.length > 0) details.push({ path: 'body', code: 'unexpected_body', message: 'this route takes no body' })
      }
      if (details.length > 0) throw validationFailed(details)
      const submissions: string[] = []
      let answer: number | undefined
      const result = await submissionContext.run(submissions, () => def.handler({
        principal: request.principal, params, query, body: body as z.output<B>, request, reply, answerWith: (s) => { answer = s },
      }))
      // The ids of the submissions this request wrote: receipts can be fetched by them.
      if (submissions.length > 0) reply.header('x-truce-submissions', submissions.join(','))
      if (answer !== undefined) reply.code(answer)
      else if (reply.statusCode === 200) reply.code(status)
      return status === 204 ? reply.send() : result
    },
  })
}

/** A UTC instant as the API takes it: ISO 8601 with an explicit offset. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s))
export const isoDate = z.iso.date()
export const uuid = z.uuid()
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes, 2–63 long')

/** Adds an "inverted_interval" issue at `toKey` when [from, to) is empty or backwards. */
export function intervalCheck<T extends Record<string, unknown>>(fromKey: keyof T & string, toKey: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const from = value[fromKey]
    const to = value[toKey]
    if (from instanceof Date && to instanceof Date && to.getTime() <= from.getTime()) {
      ctx.addIssue({ code: 'custom', path: [toKey], message: `${toKey} must be after ${fromKey}`, params: { code: 'inverted_interval' } })
    }
  }
}
