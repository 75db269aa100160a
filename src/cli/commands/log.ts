// The verifiable log from the command line, on the database the configuration names: its state,
// one sequencing pass, the log's verifier key, its rotation, and the audit that recomputes everything.
import { resolve } from 'node:path'
import { migrate } from '../../db/migrate.ts'
import { auditLog, AuditUnusableError } from '../../modules/log/log.audit.ts'
import { LogKeyError, loadOrCreateLogKey, readLogKey } from '../../modules/log/log.keys.ts'
import { logRepository } from '../../modules/log/log.repository.ts'
import { logService } from '../../modules/log/log.service.ts'
import { verifierFromVkey } from '../../modules/log/note.ts'
import { rotateLogKey, RotationRefusedError } from '../../modules/log/rotation.ts'
import { checkLog, LogIntegrityError, sequencePass } from '../../modules/log/sequencer.ts'
import { witnessNotifier } from '../../modules/log/witnesses.ts'
import { table, UsageError, type Command, type Context } from '../command.ts'

/** Runs a log command, turning the log's own failures into a message and exit code 2. */
async function unusableAs2(ctx: Context, name: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof AuditUnusableError || e instanceof LogKeyError || e instanceof LogIntegrityError || e instanceof RotationRefusedError) {
      ctx.err(`truce ${name}: ${e.message}`)
      return 2
    }
    const pg = e as { code?: string; message?: string }
    if (pg.code === '42P01') {
      ctx.err(`truce ${name}: the database has no log tables (${pg.message ?? ''}); run truce db migrate`)
      return 2
    }
    throw e
  }
}

export const LOG_COMMANDS: Record<string, Command> = {
  'log status': {
    summary: 'Size, root, pending submissions and the latest checkpoint of the verifiable log',
    usage: 'truce log status [--json]',
    options: { json: { type: 'boolean' } },
    run: (values, _p, ctx) => unusableAs2(ctx, 'log status', async () => {
      const db = await ctx.db()
      const status = await logService(db.kysely).status()
      const repo = logRepository(db.kysely)
      const witnesses = await Promise.all(ctx.config.log.witnesses.map(async (w) => ({ url: w.url, vkey: w.vkey, cosignedSize: await repo.witnessSize(w.vkey) })))
      if (values.json) { ctx.out(JSON.stringify({ ...status, witnesses }, null, 2)); return 0 }
      ctx.out(`size        ${status.size}`)
      ctx.out(`root        ${status.rootHash}`)
      ctx.out(`pending     ${status.pending} submission(s) not yet in the log`)
      ctx.out(status.checkpoint
        ? `checkpoint  size ${status.checkpoint.size}, signed ${status.checkpoint.createdAt}, ${status.checkpoint.cosignatures} cosignature(s)`
        : 'checkpoint  none signed yet')
      if (status.checkpoint) ctx.out(`vkey        ${status.checkpoint.vkey}`)
      if (witnesses.length > 0) table([['WITNESS', 'LAST COSIGNED SIZE'], ...witnesses.map((w) => [w.url, String(w.cosignedSize)])], ctx.out)
      return 0
    }),
  },
  'log sequence': {
    summary: 'Run one sequencing pass now (as the server does every TRUCE_SEQUENCE_INTERVAL_MS)',
    usage: 'truce log sequence [--all]\n\nAppends up to one batch of pending submissions and signs a checkpoint; --all repeats until none is pending.\n' +
      'Creates the log key (TRUCE_LOG_KEY_FILE) if there is none. Stop an embedded server first (one process per data directory).',
    options: { all: { type: 'boolean' } },
    run: (values, _p, ctx) => unusableAs2(ctx, 'log sequence', async () => {
      const db = await ctx.db()
      await migrate(db)
      const { key, created } = loadOrCreateLogKey(ctx.config.log.origin, ctx.config.log.keyFile)
      if (created) ctx.out(`Log key created at ${ctx.config.log.keyFile}: back it up.`)
      await checkLog(db, key)
      let added = 0
      let last = await sequencePass(db, key)
      added += last.added
      let signed = last.checkpoint
      while (values.all && last.added > 0) {
        last = await sequencePass(db, key)
        added += last.added
        signed = last.checkpoint ?? signed
      }
      ctx.out(`Appended ${added} entr${added === 1 ? 'y' : 'ies'}; the log has ${last.size}.`)
      if (signed) {
        ctx.out(`Signed checkpoint ${signed.size}.`)
        if (ctx.config.log.witnesses.length > 0) {
          const logger = {
            info: (o: object, msg?: string) => ctx.out(`${msg ?? ''} ${JSON.stringify(o)}`),
            warn: (o: object, msg?: string) => {
              const { err, ...rest } = o as { err?: unknown }
              ctx.err(`${msg ?? ''}: ${err instanceof Error ? err.message : String(err)} ${JSON.stringify(rest)}`)
            },
          }
          const witnesses = witnessNotifier({ db, key, targets: ctx.config.log.witnesses, logger })
          witnesses.notify(signed.size)
          await witnesses.close(15_000)
        }
      }
      return 0
    }),
  },
  'log vkey': {
    summary: "Print the log's verifier key (vkey) for parties to pin",
    usage: 'truce log vkey\n\nThe key from TRUCE_LOG_KEY_FILE under the origin TRUCE_LOG_ORIGIN; the server serves the same at /log/vkey.',
    run: (_v, _p, ctx) => unusableAs2(ctx, 'log vkey', async () => {
      const key = readLogKey(ctx.config.log.origin, ctx.config.log.keyFile)
      if (!key) throw new LogKeyError(`no log key at ${ctx.config.log.keyFile} yet; the server creates it on first start (or run truce log sequence)`)
      ctx.out(key.vkey)
      return 0
    }),
  },
  'log rotate-key': {
    summary: "Hand the log over to a new key, in a rotation note signed by the old and the new key",
    usage: [
      'truce log rotate-key --new-key FILE',
      '',
      'FILE: the new Ed25519 private key (PKCS#8 PEM); created (mode 0600) when it does not exist. The rotation',
      'is recorded at the tree the current key (TRUCE_LOG_KEY_FILE) signed last, and served at /api/log/keys.',
      'Then point TRUCE_LOG_KEY_FILE at FILE and restart the server: a server still running on the old key',
      'signs nothing more. Keep the old key file until every party has checked the rotation. See docs/VERIFYING.md.',
    ].join('\n'),
    options: { 'new-key': { type: 'string' } },
    run: (values, _p, ctx) => unusableAs2(ctx, 'log rotate-key', async () => {
      if (typeof values['new-key'] !== 'string' || values['new-key'] === '') throw new UsageError('give --new-key FILE')
      const file = resolve(values['new-key'])
      if (file === ctx.config.log.keyFile) throw new UsageError('--new-key must be another file than the current key (TRUCE_LOG_KEY_FILE)')
      const current = readLogKey(ctx.config.log.origin, ctx.config.log.keyFile)
      if (!current) throw new LogKeyError(`no log key at ${ctx.config.log.keyFile}: there is nothing to rotate`)
      const db = await ctx.db()
      await migrate(db)
      const { key: next, created } = loadOrCreateLogKey(ctx.config.log.origin, file)
      if (created) ctx.out(`New log key written to ${file} (mode 0600): back it up.`)
      const { rotation, note } = await rotateLogKey(db.kysely, current, next)
      ctx.out(`The log is handed over at size ${rotation.size} from`)
      ctx.out(`  ${rotation.fromVkey}`)
      ctx.out('to')
      ctx.out(`  ${rotation.toVkey}`)
      ctx.out('')
      ctx.out('The rotation note, signed by both keys (parties check it with truce verify note FILE --vkey OLD --vkey NEW):')
      ctx.out('')
      ctx.out(note)
      ctx.out(`Next: set TRUCE_LOG_KEY_FILE=${file} and restart the server. Witness operators add the new vkey for this origin.`)
      return 0
    }),
  },
  audit: {
    summary: 'Recompute the whole log from the submissions and check every node and signed checkpoint',
    usage: 'truce audit [--vkey VKEY …] [--origin ORIGIN] [--quiet]\n\n' +
      'Checks every entry against its submission, every stored tree node against the tree recomputed from the entries,\n' +
      'and every checkpoint: its signature under the pinned key (--vkey, default the key in TRUCE_LOG_KEY_FILE), its root\n' +
      'against the recomputed tree, and its consistency with the one before.\n' +
      'Exit 0: the log is intact. 1: tampered (the first altered entry is named). 2: the audit could not run.',
    options: { vkey: { type: 'string', multiple: true }, origin: { type: 'string' }, quiet: { type: 'boolean' } },
    run: (values, _p, ctx) => unusableAs2(ctx, 'audit', async () => {
      const given = Array.isArray(values.vkey) ? values.vkey : []
      if (values.vkey !== undefined && !Array.isArray(values.vkey)) throw new UsageError('--vkey takes a value')
      const vkeys = given.length > 0 ? given : [readLogKey(ctx.config.log.origin, ctx.config.log.keyFile)?.vkey].filter((v): v is string => v !== undefined)
      // Keys first: an unusable one is reported before the (embedded) database is opened.
      for (const v of vkeys) {
        try { verifierFromVkey(v) } catch (e) { throw new AuditUnusableError(`unusable log vkey: ${e instanceof Error ? e.message : String(e)}`) }
      }
      if (vkeys.length === 0) throw new AuditUnusableError(`no log key to check checkpoints against: no key at ${ctx.config.log.keyFile}; give --vkey`)
      const db = await ctx.db()
      const started = Date.now()
      const report = await auditLog(db.kysely, {
        vkeys, origin: typeof values.origin === 'string' ? values.origin : ctx.config.log.origin,
      })
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      if (report.problems.length === 0) {
        const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`
        if (!values.quiet) {
          ctx.out(`The log is intact: ${n(report.size, 'entry', 'entries')}, ${n(report.nodes, 'tree node', 'tree nodes')} and ` +
            `${n(report.checkpoints, 'signed checkpoint', 'signed checkpoints')} check out (${seconds} s).`)
        }
        return 0
      }
      if (report.firstTamperedEntry) {
        const t = report.firstTamperedEntry
        ctx.out(`TAMPERED: the first altered entry is ${t.leafIndex}${t.submissionId ? ` (submission ${t.submissionId})` : ''}.`)
      } else {
        ctx.out('TAMPERED: the log does not check out.')
      }
      for (const p of report.problems) ctx.out(`  - ${p.message}`)
      return 1
    }),
  },
}
