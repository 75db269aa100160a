// The audit (`truce audit`): trusts nothing the log stored about itself. It rebuilds every entry
// from its submission row (and checks each sealed leaf against its stored opening), recomputes the whole Merkle tree from the entries, and compares:
// each entry with its submission, each stored node with the recomputed one, and each signed
// checkpoint (its signature under the pinned log key, its root against the recomputed tree at its
// size, and its consistency with the checkpoint before it). It streams the log in pages, so
// memory stays flat however long the log is.
import { generateKeyPairSync } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { canonicalize } from '../../lib/canonical-json.ts'
import { ed25519PublicKeyObject, ed25519PublicKeyProblem, verifyEd25519 } from '../../lib/ed25519.ts'
import { isSealed, leafOf, logEntry, sealOf, type EntrySource, type LogEntry, type ServerAttestor } from '../ledger/entry.ts'
import { openCheckpoint } from './checkpoint.ts'
import { logRepository, nodeReader, type StoredCheckpoint, type StoredNode } from './log.repository.ts'
import { appendNodes, consistencyProof, EMPTY_ROOT, leafHash, nodeHash, rootNodes, verifyConsistency } from './merkle.ts'
import { verifierFromVkey, type VkeyVerifier } from './note.ts'
import { checkStoredRotation, rotationChain, type Rotation } from './rotation.ts'

export type AuditProblem = {
  /** What is wrong, in words an operator can act on. */
  message: string
  leafIndex?: number
  submissionId?: string
  checkpointSize?: number
  node?: { level: number; index: number }
}

export type AuditReport = {
  size: number
  entries: number
  nodes: number
  checkpoints: number
  problems: AuditProblem[]
  /** The lowest-indexed entry found altered, missing or unexplained by its submission. */
  firstTamperedEntry: { leafIndex: number; submissionId: string | null } | null
}

/** The audit cannot run: no usable key to check checkpoints against, or no log tables. */
export class AuditUnusableError extends Error {
  override name = 'AuditUnusableError'
}

const PAGE = 1000
/** Problems listed before the audit stops collecting more of the same kind (it still counts them). */
const MAX_PROBLEMS = 200

type Frontier = StoredNode[]

const rootOfFrontier = (frontier: Frontier): Buffer => {
  if (frontier.length === 0) return EMPTY_ROOT
  let acc = frontier[frontier.length - 1]!.hash
  for (let i = frontier.length - 2; i >= 0; i--) acc = nodeHash(frontier[i]!.hash, acc)
  return acc
}

/** Names the top-level fields of two entries that differ. */
function differingFields(stored: unknown, expected: LogEntry): string[] {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return ['(the whole entry)']
  const s = stored as Record<string, unknown>
  const e = expected as unknown as Record<string, unknown>
  const keys = [...new Set([...Object.keys(s), ...Object.keys(e)])].sort()
  return keys.filter((k) => canonicalize(s[k] ?? null) !== canonicalize(e[k] ?? null))
}

export async function auditLog(db: Kysely<DB>, options: { vkeys: readonly string[]; origin?: string; onProgress?: (done: number, total: number) => void }): Promise<AuditReport> {
  if (options.vkeys.length === 0) throw new AuditUnusableError('no log key to check checkpoints against: give --vkey or configure TRUCE_LOG_KEY_FILE')
  let verifiers: VkeyVerifier[]
  try {
    verifiers = options.vkeys.map((v) => verifierFromVkey(v))
  } catch (e) {
    throw new AuditUnusableError(`unusable log vkey: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (verifiers.some((v) => v.type !== 'ed25519')) throw new AuditUnusableError('the log vkey must be an Ed25519 (type 0x01) key')
  const trusted = new Map(verifiers.map((v) => [v.vkey, v]))

  const repo = logRepository(db)
  let state
  let rotations
  try {
    state = await repo.state()
    rotations = await repo.rotations()
  } catch (e) {
    throw new AuditUnusableError(`the database holds no log: ${e instanceof Error ? e.message : String(e)}`)
  }

  const problems: AuditProblem[] = []
  let problemCount = 0
  const report = (p: AuditProblem) => {
    problemCount++
    if (problems.length < MAX_PROBLEMS) problems.push(p)
  }
  let firstTampered: AuditReport['firstTamperedEntry'] = null
  const tampered = (leafIndex: number, submissionId: string | null, message: string) => {
    if (!firstTampered || leafIndex < firstTampered.leafIndex) firstTampered = { leafIndex, submissionId }
    report({ message, leafIndex, ...(submissionId ? { submissionId } : {}) })
  }

  // Key rotations: each must be signed by both its keys; the keys they chain to a pinned key are
  // trusted too, each for the sizes it was the log's key: above the tree it took over (if it
  // did) and up to the tree it handed over (if it did).
  const checkedRotations: Rotation[] = []
  for (const row of rotations) {
    try {
      checkedRotations.push(checkStoredRotation(row))
    } catch (e) {
      report({ message: `key rotation from ${row.fromVkey}: ${e instanceof Error ? e.message : String(e)}` })
    }
  }
  const chain = rotationChain(checkedRotations, [...trusted.keys()])
  for (const vkey of chain.keys()) {
    if (!trusted.has(vkey)) {
      const v = verifierFromVkey(vkey)
      trusted.set(vkey, v)
      verifiers.push(v)
    }
  }
  const handovers = new Map(checkedRotations.filter((r) => chain.has(r.fromVkey)).map((r) => [r.size, r]))

  // logEntry signs server-attested entries; the audit replaces that signature with the stored
  // one after checking it, so any key will do for the call.
  const scratch: ServerAttestor = { keyName: 'audit', privateKey: generateKeyPairSync('ed25519').privateKey }
  const partyKeys = new Map<string, ReturnType<typeof ed25519PublicKeyObject> | null>()

  /** The JSON of `text` when it is in canonical form, else why not. */
  const parseCanonical = (text: string): { value: unknown } | { problem: string } => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return { problem: 'is not JSON' }
    }
    return canonicalize(value) === text ? { value } : { problem: 'is not in canonical form' }
  }

  /**
   * Checks a leaf against its submission. A sealed leaf must commit to the stored opening, and the
   * opening is then what is checked; either way the leaf must be exactly the form (full or
   * sealed) the submission's visibility calls for.
   */
  async function checkEntry(leafIndex: number, submissionId: string, leafText: string, opening: string | null,
    source: (EntrySource & { payloadHashOk: boolean }) | null): Promise<void> {
    const leaf = parseCanonical(leafText)
    if ('problem' in leaf) return tampered(leafIndex, submissionId, `entry ${leafIndex} ${leaf.problem}`)
    let text = leafText
    if (isSealed(leaf.value)) {
      if (opening === null) return tampered(leafIndex, submissionId, `entry ${leafIndex} is sealed, but its opening is missing`)
      if (sealOf(opening) !== leaf.value.sealed) return tampered(leafIndex, submissionId, `entry ${leafIndex}: the stored opening does not hash to the seal`)
      text = opening
    } else if (opening !== null) {
      return tampered(leafIndex, submissionId, `entry ${leafIndex} is not sealed, but has an opening`)
    }
    const parsed = parseCanonical(text)
    if ('problem' in parsed) return tampered(leafIndex, submissionId, `entry ${leafIndex}: the opening ${parsed.problem}`)
    const stored = parsed.value
    if (!source) return tampered(leafIndex, submissionId, `entry ${leafIndex} names submission ${submissionId}, which is missing`)
    if (!source.payloadHashOk) tampered(leafIndex, submissionId, `submission ${submissionId} (entry ${leafIndex}): its payload does not match its payload_sha256`)
    const expected = logEntry(source, scratch)
    const storedSignature = (stored as { signature?: { by?: unknown; key?: unknown; signature?: unknown } }).signature
    if (expected.signature.by === 'server') {
      const key = typeof storedSignature?.key === 'string' ? trusted.get(storedSignature.key) : undefined
      const sig = typeof storedSignature?.signature === 'string' ? Buffer.from(storedSignature.signature, 'base64') : null
      if (storedSignature?.by !== 'server' || !key || !sig || !key.verify(Buffer.from(source.payload, 'utf8'), sig)) {
        return tampered(leafIndex, submissionId, `entry ${leafIndex} (submission ${submissionId}): the server attestation does not verify with the pinned log key`)
      }
      expected.signature = { by: 'server', key: storedSignature.key as string, signature: storedSignature.signature as string }
    } else if (expected.signature.by === 'party' && source.statement !== null) {
      const id = expected.signature.partyKeyId
      if (!partyKeys.has(id)) {
        const raw = (await repo.partyKeys([id])).get(id)
        const bytes = raw === undefined ? null : Buffer.from(raw, 'base64')
        partyKeys.set(id, bytes && !ed25519PublicKeyProblem(bytes) ? ed25519PublicKeyObject(bytes) : null)
      }
      const pub = partyKeys.get(id)
      if (!pub || !verifyEd25519(pub, Buffer.from(source.statement, 'utf8'), Buffer.from(expected.signature.signature, 'base64'))) {
        tampered(leafIndex, submissionId, `submission ${submissionId} (entry ${leafIndex}): the party signature does not verify with party key ${id}`)
      }
    }
    if (canonicalize(expected) !== text) {
      return tampered(leafIndex, submissionId, `entry ${leafIndex} (submission ${submissionId}) does not match its submission: ${differingFields(stored, expected).join(', ')} differ`)
    }
    if (leafOf(expected).leaf !== leafText) {
      tampered(leafIndex, submissionId, `entry ${leafIndex} (submission ${submissionId}) is ${isSealed(leaf.value) ? 'sealed' : 'not sealed'}, `
        + `but a ${source.visibility} submission's leaf ${source.visibility === 'public' ? 'is its full entry' : 'is sealed'}`)
    }
  }

  // Checkpoints come in size order, a page at a time, as the walk over the entries reaches them.
  let checkpointPage: StoredCheckpoint[] = []
  let checkpointAt = 0
  let checkpointsSeen = 0
  let lastCheckpointSize = -1
  let previous: { size: number; root: Buffer } | null = null
  async function nextCheckpoint(): Promise<StoredCheckpoint | null> {
    if (checkpointAt >= checkpointPage.length) {
      checkpointPage = await repo.checkpoints(lastCheckpointSize, PAGE)
      checkpointAt = 0
    }
    return checkpointPage[checkpointAt] ?? null
  }
  async function checkCheckpoint(c: StoredCheckpoint, recomputed: Buffer | null): Promise<void> {
    checkpointAt++
    checkpointsSeen++
    lastCheckpointSize = c.size
    const bad = (message: string) => report({ message: `checkpoint ${c.size}: ${message}`, checkpointSize: c.size })
    if (!trusted.has(c.vkey)) bad(`recorded as signed by ${c.vkey}, which is not a pinned key`)
    const tenure = chain.get(c.vkey)
    if (tenure?.introduced && c.size <= tenure.introduced.size) bad(`signed by ${c.vkey}, which became the log's key only above size ${tenure.introduced.size}`)
    if (tenure?.retired && c.size > tenure.retired.size) bad(`signed by ${c.vkey}, which was retired at size ${tenure.retired.size}`)
    let signed
    try {
      signed = openCheckpoint(c.note, verifiers).checkpoint
    } catch (e) {
      return bad(`the signed note does not verify with the pinned key (${e instanceof Error ? e.message : String(e)})`)
    }
    if (options.origin !== undefined && signed.origin !== options.origin) bad(`origin "${signed.origin}" is not "${options.origin}"`)
    if (signed.size !== c.size) return bad(`the signed note commits to size ${signed.size}`)
    if (!signed.rootHash.equals(c.rootHash)) bad('the root_hash column differs from the signed root')
    if (recomputed === null) return bad(`the log holds fewer than ${c.size} entries`)
    if (!signed.rootHash.equals(recomputed)) {
      bad('the signed root differs from the root recomputed from the entries: an entry below this size was changed, or the log forked')
    }
    if (previous && previous.size > 0 && previous.size < c.size) {
      const proof = await consistencyProof(previous.size, c.size, nodeReader(repo)).catch(() => null)
      if (!proof || !verifyConsistency(previous.size, c.size, previous.root, signed.rootHash, proof)) {
        bad(`it is not consistent with checkpoint ${previous.size} (the consistency proof from the stored nodes does not verify)`)
      }
    }
    const handover = handovers.get(c.size)
    if (handover && handover.fromVkey === c.vkey) {
      handovers.delete(c.size)
      if (!handover.rootHash.equals(signed.rootHash)) bad(`the key rotation to ${handover.toVkey} hands over another tree than this checkpoint`)
    }
    previous = { size: c.size, root: signed.rootHash }
  }

  let frontier: Frontier = []
  let size = 0
  let nodesChecked = 0
  let nodeProblems = 0
  /** Appends leaves to the recomputed tree and compares every node they complete with log_nodes. */
  async function append(leaves: Buffer[]): Promise<void> {
    if (leaves.length === 0) return
    const known = new Map(frontier.map((n) => [`${n.level}/${n.index}`, n.hash]))
    const created = await appendNodes(size, leaves, async (ids) => ids.map((n) => known.get(`${n.level}/${n.index}`)!))
    const byLevel = new Map<number, StoredNode[]>()
    for (const n of created) {
      const list = byLevel.get(n.level)
      if (list) list.push(n)
      else byLevel.set(n.level, [n])
    }
    for (const [level, nodes] of byLevel) {
      const first = nodes[0]!.index
      const stored = new Map((await repo.nodeRange(level, first, nodes[nodes.length - 1]!.index - first + 1)).map((n) => [n.index, n.hash]))
      for (const n of nodes) {
        nodesChecked++
        const s = stored.get(n.index)
        if (s && s.equals(n.hash)) continue
        nodeProblems++
        if (nodeProblems <= 20) {
          report({ message: `tree node ${level}/${n.index} ${s ? 'differs from the one recomputed from the entries' : 'is missing'}`, node: { level, index: n.index } })
        }
      }
    }
    size += leaves.length
    for (const n of created) known.set(`${n.level}/${n.index}`, n.hash)
    frontier = rootNodes(size).map((n) => ({ ...n, hash: known.get(`${n.level}/${n.index}`)! }))
  }

  // Size 0 has no entries to wait for.
  for (let c = await nextCheckpoint(); c && c.size === 0; c = await nextCheckpoint()) await checkCheckpoint(c, EMPTY_ROOT)

  walk: for (;;) {
    const page = await repo.entriesWithSources(size, PAGE)
    if (page.length === 0) break
    let pending: Buffer[] = []
    for (const e of page) {
      const index = size + pending.length
      if (e.leafIndex !== index) {
        // The tree cannot be rebuilt past a hole: stop here, and the head check reports the rest.
        await append(pending)
        tampered(index, null, `entry ${index} is missing (the next stored entry is ${e.leafIndex})`)
        break walk
      }
      const bytes = Buffer.from(e.entry, 'utf8')
      const leaf = leafHash(bytes)
      if (!leaf.equals(e.leafHash)) tampered(index, e.submissionId, `entry ${index}: the stored leaf hash is not SHA-256(0x00 ‖ entry)`)
      await checkEntry(index, e.submissionId, e.entry, e.opening, e.source)
      pending.push(leaf)
      // A checkpoint at exactly this size: bring the tree up to it and compare roots.
      for (let c = await nextCheckpoint(); c && c.size === index + 1; c = await nextCheckpoint()) {
        await append(pending)
        pending = []
        await checkCheckpoint(c, rootOfFrontier(frontier))
      }
    }
    await append(pending)
    options.onProgress?.(size, state.size)
  }

  for (let c = await nextCheckpoint(); c; c = await nextCheckpoint()) await checkCheckpoint(c, null)

  for (const r of handovers.values()) report({ message: `key rotation from ${r.fromVkey}: no checkpoint of size ${r.size} by that key, the tree it hands over` })
  if (size !== state.size) report({ message: `the head says size ${state.size}, but the entries make a tree of ${size}` })
  else if (!rootOfFrontier(frontier).equals(state.rootHash)) report({ message: "the head's root differs from the root recomputed from the entries" })
  if (state.checkpointSize !== null && state.checkpointSize !== lastCheckpointSize) {
    report({ message: `the head points at checkpoint ${state.checkpointSize}, but the latest checkpoint is ${lastCheckpointSize}` })
  }
  const storedNodes = await repo.countNodes()
  if (storedNodes !== nodesChecked) report({ message: `log_nodes holds ${storedNodes} nodes; a tree of ${size} has ${nodesChecked}` })
  if (nodeProblems > 20) report({ message: `${nodeProblems - 20} more tree nodes differ` })
  if (problemCount > problems.length) problems.push({ message: `… and ${problemCount - problems.length} more problems` })

  return { size, entries: size, nodes: nodesChecked, checkpoints: checkpointsSeen, problems, firstTamperedEntry: firstTampered }
}
