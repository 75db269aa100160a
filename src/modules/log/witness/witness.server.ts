// The witness over HTTP: POST /add-checkpoint exactly as c2sp.org/tlog-witness defines it, and
// GET / with the witness's vkey and the logs it witnesses. A small Fastify server of its own,
// separate from the Truce API: a party runs it on its own machine with its own key.
//
// Bodies are text/plain in both directions. Refusals answer with the spec's status and a one-line
// reason; a 409 for a size mismatch answers the witness's size, as text/x.tlog.size.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { openWitness, WitnessRefusal, type Witness, type WitnessOptions } from './witness.ts'
import { WitnessStateError } from './witness.state.ts'

/** 63 proof lines and a checkpoint with a hundred signatures fit many times over. */
const BODY_LIMIT = 256 * 1024

export type RunningWitness = { app: FastifyInstance; witness: Witness; url: string; close(): Promise<void> }

export async function buildWitnessServer(witness: Witness, logger: FastifyServerOptions['logger'] = false): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: BODY_LIMIT, routerOptions: { ignoreTrailingSlash: true } })
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  app.post('/add-checkpoint', async (request, reply) => {
    const raw = request.body
    if (!Buffer.isBuffer(raw) || raw.length === 0) return reply.code(400).type('text/plain; charset=utf-8').send('empty request body\n')
    let body: string
    try {
      body = utf8.decode(raw)
    } catch {
      return reply.code(400).type('text/plain; charset=utf-8').send('the request body is not valid UTF-8\n')
    }
    try {
      const lines = await witness.addCheckpoint(body)
      return reply.code(200).type('text/plain; charset=utf-8').send(lines)
    } catch (e) {
      if (e instanceof WitnessRefusal) {
        if (e.status === 409 && e.size !== undefined) return reply.code(409).type('text/x.tlog.size').send(`${e.size}\n`)
        if (e.status !== 400) request.log.warn({ status: e.status, reason: e.message }, 'add-checkpoint refused')
        return reply.code(e.status).type('text/plain; charset=utf-8').send(`${e.message}\n`)
      }
      if (e instanceof WitnessStateError) request.log.error({ err: e }, 'witness state')
      throw e
    }
  })

  app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(`${witness.name}\n${witness.vkey}\n`))

  // Unknown errors: a generic 500, the detail only in the log.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'witness error')
    return reply.code(status).type('text/plain; charset=utf-8').send(status === 500 ? 'internal error\n' : `${error.message ?? 'bad request'}\n`)
  })
  return app
}

/** Opens the witness state and listens; close() stops taking requests, then releases the state. */
export async function startWitness(options: WitnessOptions & { port: number; host?: string; logger?: FastifyServerOptions['logger'] }): Promise<RunningWitness> {
  const witness = await openWitness(options)
  let app: FastifyInstance
  try {
    app = await buildWitnessServer(witness, options.logger ?? false)
    const address = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' })
    let closing: Promise<void> | undefined
    const close = () => (closing ??= (async () => {
      await app.close()
      await witness.close()
    })())
    return { app, witness, url: address, close }
  } catch (e) {
    await witness.close()
    throw e
  }
}
