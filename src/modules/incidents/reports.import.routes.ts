// Bulk import of reports over HTTP: a UCDP GED, ACLED or HXL file as the request's raw body
// (gzip or not, any encoding the readers detect), imported as the caller's party's reports by
// importReports, the same function the CLI calls. The file is read and every row checked before
// anything is answered, so a file with bad rows is refused at once, every problem listed by line
// and field, unless skipInvalid; then the rows are written in batches (each with its submission),
// directly or as a job whose progress /api/jobs/:id shows. A row already imported by the party
// (by its external id) is not written again, so the same file sent twice adds nothing, and an
// import cut short resumes when the file is sent again.
import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { AppError, badRequest } from '../../lib/errors.ts'
import { defineRoute } from '../../lib/http.ts'
import { presentJob } from '../../lib/jobs.ts'
import { receiveUpload, uploadBody, type SpooledFile } from '../../lib/upload.ts'
import type { Principal } from '../access/access.policy.ts'
import { jobSchema } from '../system/system.routes.ts'
import { DEFAULT_MAX_BYTES } from './import/decode.ts'
import { ImportFormatError, INCIDENT_FORMATS, parseIncidentFile, type IncidentFile, type IncidentFormat } from './import/index.ts'
import { importReports, type ReportImportResult } from './reports.import.ts'

/** Who may see the imported reports: restricted needs named parties, which a file does not carry. */
export const IMPORT_VISIBILITIES = ['parties', 'public', 'internal'] as const

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true')

export const reportImportQuery = z.strictObject({
  format: z.enum(INCIDENT_FORMATS).describe('ucdp: UCDP GED CSV; acled: ACLED\'s CSV export; hxl: any HXL-tagged CSV'),
  fileName: z.string().min(1).max(300).default('upload').describe('the file\'s name, recorded with the import'),
  dryRun: flag.describe('read and check every row, resolve the actor names, and say what would be added: nothing is written'),
  skipInvalid: flag.describe('import the good rows of a file with bad rows, listing the bad ones (otherwise such a file imports nothing)'),
  visibility: z.enum(IMPORT_VISIBILITIES).default('parties'),
  async: flag.describe('answer 202 with a job once the file is read and checked (follow it at /api/jobs/:id) instead of waiting for the import'),
})

const rowProblem = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() })

export const reportImportResult = z.object({
  fileName: z.string(), format: z.enum(INCIDENT_FORMATS), fileSha256: z.string(), bytes: z.number().int(),
  encoding: z.string().describe('the text encoding the file was read in (utf-8, utf-16le, utf-16be, windows-1252)'), gzip: z.boolean(),
  dryRun: z.boolean(),
  rows: z.number().int().describe('data rows in the file'),
  valid: z.number().int().describe('rows that are reports'),
  added: z.number().int().describe('reports written now (0 in a dry run)'),
  alreadyImported: z.number().int().describe('valid rows your party had imported before (by external id): not written again'),
  invalidRows: z.number().int().describe('rows with problems, left out'),
  invalid: z.array(rowProblem).describe('every problem of every row left out'),
  notIncidents: z.array(z.object({ line: z.number().int(), reason: z.string() })).describe('rows read without error that are not incidents (an ACLED protest)'),
  actorNames: z.number().int(), actorsResolved: z.number().int().describe('names of perpetrators and targets matched to one actor with confidence'),
  placesAttributed: z.number().int(), incidentsCreated: z.number().int(),
  occurred: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).nullable().describe('the earliest and latest date of the valid rows'),
})
export type ReportImportAnswer = z.infer<typeof reportImportResult>

/** The problems of a file's bad rows, refused: every one of them, by line and field. */
export function invalidRows(file: IncidentFile): AppError {
  const lines = new Set(file.errors.map((e) => e.line)).size
  return badRequest('invalid_rows', `${lines} row(s) have ${file.errors.length} problem(s): nothing was imported. Correct them, or skip the invalid rows to import the rest.`,
    file.errors.map((e) => ({ path: `line ${e.line}${e.field ? `.${e.field}` : ''}`, line: e.line, field: e.field ?? null, message: e.message })))
}

function present(file: IncidentFile, spooled: SpooledFile, options: { fileName: string; format: IncidentFormat }, r: ReportImportResult): ReportImportAnswer {
  let from: string | null = null
  let to: string | null = null
  for (const { report } of file.reports) {
    if (from === null || report.occurredAt < from) from = report.occurredAt
    if (to === null || report.occurredAt > to) to = report.occurredAt
  }
  return {
    fileName: options.fileName, format: options.format, fileSha256: spooled.sha256, bytes: spooled.bytes, encoding: file.encoding, gzip: file.gzip,
    dryRun: r.dryRun, rows: r.rows, valid: r.valid, added: r.added, alreadyImported: r.alreadyImported, invalidRows: r.invalidRows,
    invalid: r.invalid.map((e) => ({ line: e.line, field: e.field ?? null, message: e.message })), notIncidents: file.skipped,
    actorNames: r.actorNames, actorsResolved: r.actorsResolved, placesAttributed: r.placesAttributed, incidentsCreated: r.incidentsCreated,
    occurred: from !== null && to !== null ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : null,
  }
}

/**
 * Runs one party's imports one after another in this process. The importer skips the rows the
 * party already has, found before it writes; two imports of one file side by side (a double click,
 * a retry while the first still runs) would both find none and write every row twice.
 */
function partyQueue() {
  const tails = new Map<string, Promise<unknown>>()
  return <T>(partyId: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(partyId) ?? Promise.resolve()
    const next = previous.then(work, work)
    const tail = next.catch(() => undefined)
    tails.set(partyId, tail)
    void tail.then(() => { if (tails.get(partyId) === tail) tails.delete(partyId) })
    return next
  }
}

export async function reportImportRoutes(app: FastifyInstance): Promise<void> {
  const queue = partyQueue()
  // Any body is the file, as its bytes (curl --data-binary sends form-urlencoded); JSON keeps its parser.
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload))

  defineRoute(app, {
    method: 'POST', url: '/api/reports/import', policy: 'incident.import', status: 201, tags: ['reports'],
    summary: 'Import a UCDP GED, ACLED or HXL file (the raw body; gzip and the encoding detected) as your party\'s reports: every row checked first, a file with bad rows refused whole unless skipInvalid, rows already imported not written again',
    query: reportImportQuery, body: uploadBody,
    response: z.union([reportImportResult, jobSchema]),
    handler: async ({ principal, query, body, request, reply, answerWith }) => {
      if (principal.partyKind === 'public') {
        throw new AppError(403, 'public_party_import', 'The public party takes reports one at a time, through the public form; it does not import files.')
      }
      const max = app.config.importMaxBytes
      const { file: spooled, signer } = await receiveUpload(request, principal, body, max)
      let file: IncidentFile
      try {
        // The file is read whole as text: the readers' own ceiling holds even when uploads may be larger.
        file = parseIncidentFile(await readFile(spooled.path), query.format, { now: new Date(), maxBytes: Math.min(max, DEFAULT_MAX_BYTES) })
      } catch (e) {
        if (e instanceof ImportFormatError) {
          throw new AppError(e.code === 'too_large' ? 413 : 400, e.code === 'too_large' ? 'file_too_large' : e.code,
            `The ${query.format} file cannot be read, so nothing was imported.`, [{ path: e.where, message: e.message }])
        }
        throw e
      } finally {
        await spooled.dispose()
      }
      if (file.errors.length > 0 && !query.skipInvalid) throw invalidRows(file)

      const options = { fileName: query.fileName, format: query.format }
      const run = async (signed: Principal, progress?: (done: number, total: number | null) => void) => {
        const valid = file.reports.length
        progress?.(0, valid)
        const result = await queue(signed.partyId!, () => importReports(app.db.kysely, signed, file, {
          ...options, fileSha256: spooled.sha256, skipInvalid: query.skipInvalid, dryRun: query.dryRun, visibility: query.visibility,
          // Rows already in count as done: a resumed import starts where the last one stopped.
          onProgress: progress && ((done, todo) => progress(valid - todo + done, valid)),
        }))
        progress?.(valid, valid)
        return present(file, spooled, options, result)
      }
      if (!query.async) {
        if (query.dryRun) answerWith(200)
        return run(signer)
      }
      const job = app.jobs.start('reports.import', principal.userId ?? principal.apiKeyId ?? '', (progress) => run(signer, progress))
      reply.code(202).header('location', `/api/jobs/${job.id}`)
      return presentJob(job)
    },
  })
}
