// Serving the log. Public, because leaves hold only hashes, and a non-public submission's leaf
// is sealed (src/modules/ledger/entry.ts): the signed checkpoint, the log's
// vkey and the C2SP tlog-tiles resources under /log/, and JSON proofs and tlog-proof@v1 receipts
// under /api/log/. Looking an entry up by submission follows the submission's visibility, so a
// hidden submission answers exactly like a missing one; only that lookup carries the opening.
import { gzipSync } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import {
  consistencyProofSchema, consistencyQuery, inclusionProofSchema, inclusionQuery, logEntrySchema, logKeysSchema, receiptQuery, submissionParams, TILE_INDEX_GROUPS, tileParams,
} from './log.schemas.ts'
import { logService } from './log.service.ts'
import { MerkleError } from './merkle.ts'
import { encodeEntryBundle, parseTilePath } from './tiles.ts'

const TEXT = 'text/plain; charset=utf-8'
/** Tiles and bundles never change once they exist: a partial tile of width W is the same bytes forever too. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** The checkpoint moves with every batch: tlog-tiles asks for no caching beyond a few seconds. */
const MUTABLE = 'public, max-age=2'

/** A 404 that caches must not keep: the resource may exist a moment later. */
const tileNotFound = (reply: FastifyReply, message: string) => {
  reply.header('cache-control', 'no-store')
  return new AppError(404, 'not_found', message)
}

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))

export async function logRoutes(app: FastifyInstance): Promise<void> {
  const log = logService(app.db.kysely)

  defineRoute(app, {
    method: 'GET', url: '/log/checkpoint', policy: 'public', tags: ['log'],
    summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note) with its witness cosignatures',
    handler: async ({ reply }) => {
      const note = await log.checkpoint()
      if (note === null) throw tileNotFound(reply, 'The log has not signed a checkpoint yet.')
      reply.type(TEXT).header('cache-control', MUTABLE)
      return note as never
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/log/vkey', policy: 'public', tags: ['log'],
    summary: "The log's verifier key (C2SP vkey) that signs its checkpoints and attests server-signed entries",
    handler: async ({ reply }) => {
      const vkey = await log.vkey()
      if (vkey === null) throw tileNotFound(reply, 'The log has not signed a checkpoint yet.')
      reply.type(TEXT).header('cache-control', 'public, max-age=300')
      return `${vkey}\n` as never
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/log/keys', policy: 'public', tags: ['log'],
    summary: "The log's current key and every key rotation, each a note signed by the old and the new key",
    response: logKeysSchema,
    handler: async ({ reply }) => {
      reply.header('cache-control', 'public, max-age=60')
      return log.keys()
    },
  })

  // One route per depth of the tile index (3-digit groups, "x" before all but the last) and its
  // partial form, rather than a wildcard, so each path and parameter is documented in OpenAPI.
  // Six groups reach 10^18, beyond any index a 2^53-entry log has.
  for (let depth = 1; depth <= TILE_INDEX_GROUPS.length; depth++) {
    const groups = TILE_INDEX_GROUPS.slice(0, depth)
    const base = `/log/tile/:level/${groups.map((g) => `:${g}`).join('/')}`
    for (const partial of [false, true]) {
      defineRoute(app, {
        method: 'GET', url: partial ? `${base}.p/:width` : base, policy: 'public', tags: ['log'],
        summary: `C2SP tlog-tiles, ${depth}-group index${partial ? ', partial' : ''}: a hash tile (level = 0…63) or an entry bundle (level = "entries")`,
        params: tileParams(groups, partial),
        handler: async ({ params, request, reply }) => {
          const p = params as Record<string, string>
          const path = `${p.level}/${groups.map((g) => p[g]).join('/')}${partial ? `.p/${p.width}` : ''}`
          let tile: ReturnType<typeof parseTilePath>
          try {
            tile = parseTilePath(`tile/${path}`)
          } catch (e) {
            if (e instanceof MerkleError) throw tileNotFound(reply, `Not a tlog-tiles path: ${e.message}.`)
            throw e
          }
          if ('entries' in tile) {
            const entries = await log.entryBundle(tile.index, tile.width)
            if (!entries) throw tileNotFound(reply, 'The log does not hold that entry bundle (yet).')
            const bundle = encodeEntryBundle(entries)
            reply.type('application/octet-stream').header('cache-control', IMMUTABLE).header('vary', 'accept-encoding')
            if (acceptsGzip(request)) {
              reply.header('content-encoding', 'gzip')
              return gzipSync(bundle) as never
            }
            return bundle as never
          }
          const hashes = await log.hashTile(tile.level, tile.index, tile.width)
          if (!hashes) throw tileNotFound(reply, 'The log does not hold that tile (yet).')
          reply.type('application/octet-stream').header('cache-control', IMMUTABLE)
          return hashes as never
        },
      })
    }
  }

  defineRoute(app, {
    method: 'GET', url: '/api/log/entries/:submissionId', policy: 'public', tags: ['log'],
    summary: "A submission's log entry and leaf index, once sequenced (hidden submissions answer like missing ones)",
    params: submissionParams, response: logEntrySchema,
    handler: async ({ principal, params }) => log.entryOf(principal, params.submissionId),
  })

  defineRoute(app, {
    method: 'GET', url: '/api/log/receipts/:submissionId', policy: 'public', tags: ['log'],
    summary: "A submission's C2SP tlog-proof@v1 receipt: the entry, its inclusion proof and the signed, cosigned checkpoint",
    params: submissionParams, query: receiptQuery,
    handler: async ({ principal, params, query, reply }) => {
      const receipt = await log.receipt(principal, params.submissionId, query.treeSize)
      reply.type(TEXT).header('content-disposition', `inline; filename="${params.submissionId}.tlog-proof"`)
      return receipt as never
    },
  })

  defineRoute(app, {
    method: 'GET', url: '/api/log/proof/inclusion', policy: 'public', tags: ['log'],
    summary: 'An inclusion proof, by leaf index or leaf hash, in the tree of treeSize (default: the latest)',
    query: inclusionQuery, response: inclusionProofSchema,
    handler: async ({ query }) => query.leafHash !== undefined
      ? log.inclusionByLeafHash(query.leafHash, query.treeSize)
      : log.inclusionByIndex(query.leafIndex ?? 0, query.treeSize),
  })

  defineRoute(app, {
    method: 'GET', url: '/api/log/proof/consistency', policy: 'public', tags: ['log'],
    summary: 'A consistency proof from the tree of size1 to the tree of size2 (default: the latest)',
    query: consistencyQuery, response: consistencyProofSchema,
    handler: async ({ query }) => log.consistency(query.size1, query.size2),
  })
}
