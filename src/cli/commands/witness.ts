// `truce witness`: run a C2SP tlog-witness for the logs a party chooses to watch, with its own
// key and state directory. SIGTERM or SIGINT stops taking requests, lets those in flight finish,
// and releases the state directory.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isValidKeyName, NoteError } from '../../modules/log/note.ts'
import { startWitness } from '../../modules/log/witness/witness.server.ts'
import { WitnessStateError } from '../../modules/log/witness/witness.state.ts'
import { loadOrCreateWitnessKey, logsFromArguments } from '../../modules/log/witness/witness.ts'
import { str, UsageError, type Command } from '../command.ts'

export const WITNESS_COMMANDS: Record<string, Command> = {
  witness: {
    summary: 'Run a witness that cosigns a log\'s checkpoints only while the log stays consistent',
    usage: [
      'truce witness --port P --state-dir DIR --name NAME --log ORIGIN=VKEY [--log …] [--key FILE] [--host HOST]',
      '',
      'NAME is the witness key name (e.g. witness.un.example/w1). Each --log names a log origin and the',
      'Ed25519 vkey it signs checkpoints with (repeat an origin to trust a rotated key as well).',
      'The key (Ed25519 PKCS#8 PEM) is read from --key, default DIR/witness.key.pem, and created on',
      'first start. HOST defaults to 0.0.0.0. The witness prints its vkey: parties pin it.',
    ].join('\n'),
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'state-dir': { type: 'string' }, name: { type: 'string' },
      log: { type: 'string', multiple: true }, key: { type: 'string' },
    },
    async run(values, _positionals, ctx) {
      const portText = str(values.port, 'port')
      const port = /^[0-9]+$/.test(portText) ? Number(portText) : NaN
      if (!Number.isInteger(port) || port > 65535) throw new UsageError('--port must be a number from 0 to 65535')
      const stateDir = resolve(str(values['state-dir'], 'state-dir'))
      const name = str(values.name, 'name')
      if (!isValidKeyName(name)) throw new UsageError('--name must be non-empty, without spaces or "+"')
      const logArgs = Array.isArray(values.log) ? values.log.filter((l): l is string => typeof l === 'string') : []
      if (logArgs.length === 0) throw new UsageError('--log ORIGIN=VKEY is required (once per log, or per key)')
      let logs
      try {
        logs = logsFromArguments(logArgs)
      } catch (e) {
        if (e instanceof NoteError) throw new UsageError(e.message)
        throw e
      }
      const keyFile = resolve(typeof values.key === 'string' ? values.key : join(stateDir, 'witness.key.pem'))

      let running
      try {
        await mkdir(stateDir, { recursive: true, mode: 0o700 })
        const { privateKey, created } = await loadOrCreateWitnessKey(keyFile)
        if (created) ctx.out(`Created the witness key ${keyFile} (keep it secret, back it up)`)
        running = await startWitness({
          name, privateKey, logs, stateDir, port, host: typeof values.host === 'string' ? values.host : '0.0.0.0',
          logger: { level: ctx.config.logLevel },
        })
      } catch (e) {
        if (e instanceof WitnessStateError || (e instanceof Error && 'code' in e)) {
          ctx.err(`truce witness: ${e.message}`)
          return 2
        }
        throw e
      }
      const listening = running
      // The handlers go in before the lines that say the witness is up: a supervisor that sends
      // SIGTERM as soon as it reads them must get a clean close, not the default kill.
      const closed = new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.off('SIGTERM', onTerm)
          process.off('SIGINT', onInt)
          ctx.out(`${signal}: finishing requests and closing the witness…`)
          listening.close().then(done, (err: unknown) => { ctx.err(`truce witness: closing failed: ${String(err)}`); done() })
        }
        const onTerm = () => stop('SIGTERM')
        const onInt = () => stop('SIGINT')
        process.on('SIGTERM', onTerm)
        process.on('SIGINT', onInt)
      })
      ctx.out(`Witness ${name} listening on ${listening.url}`)
      ctx.out(`  vkey: ${listening.witness.vkey}`)
      for (const l of logs) ctx.out(`  witnessing ${l.origin} (${l.verifiers.length} key${l.verifiers.length === 1 ? '' : 's'})`)
      ctx.out(`  state: ${stateDir}`)
      await closed
      ctx.out('Witness closed.')
      return 0
    },
  },
}
