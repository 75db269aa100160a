// The Merkle tree of the log: RFC 9162 §2.1 hashing, inclusion and consistency proofs, and their
// verification. Storage is not our concern here: a tree is read through a NodeBatchReader that
// returns the hashes of complete subtrees, so a proof costs one batched read of O(log n) nodes.
//
// Sizes and indices are JavaScript numbers up to 2^53−1. Every bit of index arithmetic is done
// with Math.floor, % and powers of two, never with the 32-bit operators (>>, <<, &, |, ^, ~),
// which would silently wrap at 2^31 (merkle.test.ts holds this by parsing the source).
import { hash } from 'node:crypto'

export const HASH_SIZE = 32

/** Unusable input: a hash of the wrong length, an index outside the tree, sizes out of order… The message names the field. */
export class MerkleError extends Error {
  override name = 'MerkleError'
}

// One-shot crypto.hash over one buffer: about twice as fast as createHash().update()… for inputs
// this small, and hashing is nearly all the time a proof verification takes.

/** RFC 9162 §2.1.1: the hash of a leaf, SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + entry.length)
  input[0] = 0x00
  input.set(entry, 1)
  return hash('sha256', input, 'buffer')
}

/** RFC 9162 §2.1.1: the hash of an interior node, SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length)
  input[0] = 0x01
  input.set(left, 1)
  input.set(right, 1 + left.length)
  return hash('sha256', input, 'buffer')
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer')

/** The complete subtree at `level` (2^level leaves) covering leaves [index·2^level, (index+1)·2^level). */
export type NodeId = { level: number; index: number }

/** Hash of the COMPLETE subtree at `level` covering leaves [index·2^level, (index+1)·2^level). */
export type NodeReader = (level: number, index: number) => Promise<Buffer>
/** Reads many at once (the storage layer batches them into one query); answers in the order asked. */
export type NodeBatchReader = (nodes: readonly { level: number; index: number }[]) => Promise<Buffer[]>

/**
 * What a proof is made of. Each element of the proof is the hash of one subtree; a subtree on the
 * tree's right edge may be incomplete, and its hash is then the right fold of the complete
 * subtrees it splits into: nodeHash(n0, nodeHash(n1, … nk)). `nodes` lists every node the proof
 * reads, once, in the order of `elements`, for a single batched read.
 */
export type ProofPlan = { elements: NodeId[][]; nodes: NodeId[] }

/** Builds the NodeBatchReader the proof functions take from a one-node-at-a-time reader. */
export function batchReader(read: NodeReader): NodeBatchReader {
  return (nodes) => Promise.all(nodes.map((n) => read(n.level, n.index)))
}

// ——— input checks ———

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MerkleError(`${name} must be an integer from 0 to 2^53−1, got ${String(value)}`)
  }
}

function checkHash(name: string, value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw new MerkleError(`${name} must be bytes`)
  if (value.length !== HASH_SIZE) throw new MerkleError(`${name} must be ${HASH_SIZE} bytes, got ${value.length}`)
}

function checkProof(proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof)) throw new MerkleError('proof must be a list of hashes')
  proof.forEach((h, i) => checkHash(`proof[${i}]`, h))
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}

const isOdd = (n: number) => n % 2 === 1
const half = (n: number) => Math.floor(n / 2)

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

// ——— the reference ———

/** RFC 9162 §2.1.1 MTH over leaf hashes, by the naive recursion: the reference the rest is tested against. */
export function rootOf(leafHashes: readonly Uint8Array[]): Buffer {
  leafHashes.forEach((h, i) => checkHash(`leafHashes[${i}]`, h))
  const mth = (start: number, n: number): Buffer => {
    if (n === 1) return Buffer.from(leafHashes[start]!)
    const k = splitPoint(n)
    return nodeHash(mth(start, k), mth(start + k, n - k))
  }
  return leafHashes.length === 0 ? EMPTY_ROOT : mth(0, leafHashes.length)
}

// ——— which nodes make what ———

/** The complete subtrees, left to right, that leaves [start, start+n) split into; start must be aligned as in an RFC 9162 tree. */
function rangeNodes(start: number, n: number): NodeId[] {
  const out: NodeId[] = []
  let p = 1
  let level = 0
  while (p * 2 <= n) { p *= 2; level++ }
  let offset = start
  let left = n
  for (; left > 0; p /= 2, level--) {
    if (left >= p) {
      out.push({ level, index: offset / p })
      offset += p
      left -= p
    }
  }
  return out
}

/** The complete subtrees whose hashes, folded from the right, make the root of a tree of `size` (none when size is 0). */
export function rootNodes(size: number): NodeId[] {
  checkSize('size', size)
  return rangeNodes(0, size)
}

function planOf(elements: NodeId[][]): ProofPlan {
  return { elements, nodes: elements.flat() }
}

/**
 * RFC 9162 §2.1.3.1 PATH(m, D[n]), bottom-up: for each level below the root, the sibling of the
 * leaf's ancestor, when the sibling holds any leaf of the tree.
 */
export function inclusionProofNodes(leafIndex: number, size: number): ProofPlan {
  checkSize('leafIndex', leafIndex)
  checkSize('size', size)
  if (leafIndex >= size) throw new MerkleError(`leafIndex ${leafIndex} is not below size ${size}`)
  const elements: NodeId[][] = []
  for (let level = 0, p = 1; p < size; level++, p *= 2) {
    const i = Math.floor(leafIndex / p)
    const sibling = isOdd(i) ? i - 1 : i + 1
    const start = sibling * p
    if (start >= size) continue // the ancestor is the last node of its level: promoted, no sibling
    elements.push(start + p <= size ? [{ level, index: sibling }] : rangeNodes(start, size - start))
  }
  return planOf(elements)
}

/**
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) via SUBPROOF. Empty when size1 is 0 or equals size2 (there is
 * nothing to prove; see verifyConsistency for what a verifier makes of those).
 */
export function consistencyProofNodes(size1: number, size2: number): ProofPlan {
  checkSize('size1', size1)
  checkSize('size2', size2)
  if (size1 > size2) throw new MerkleError(`size1 ${size1} is greater than size2 ${size2}`)
  const elements: NodeId[][] = []
  // The subtree of leaves [start, start+n) and the first m of them; `whole` says whether those m
  // leaves are the entire old tree, whose root the verifier already has.
  const subproof = (m: number, start: number, n: number, whole: boolean): void => {
    if (m === n) {
      if (!whole) elements.push(rangeNodes(start, n))
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      subproof(m, start, k, whole)
      elements.push(rangeNodes(start + k, n - k))
    } else {
      subproof(m - k, start + k, n - k, false)
      elements.push(rangeNodes(start, k))
    }
  }
  if (size1 > 0 && size1 < size2) subproof(size1, 0, size2, true)
  return planOf(elements)
}

// ——— reading ———

async function readAll(read: NodeBatchReader, nodes: readonly NodeId[]): Promise<Buffer[]> {
  if (nodes.length === 0) return []
  const hashes = await read(nodes)
  if (!Array.isArray(hashes) || hashes.length !== nodes.length) {
    throw new MerkleError(`the node reader answered ${Array.isArray(hashes) ? hashes.length : 'no list'} for ${nodes.length} nodes`)
  }
  hashes.forEach((h, i) => checkHash(`node ${nodes[i]!.level}/${nodes[i]!.index}`, h))
  return hashes
}

/** Folds hashes from the right: nodeHash(h0, nodeHash(h1, … hk)). */
function foldRight(hashes: readonly Buffer[]): Buffer {
  let acc = hashes[hashes.length - 1]!
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc)
  return acc
}

async function fetchPlan(plan: ProofPlan, read: NodeBatchReader): Promise<Buffer[]> {
  const hashes = await readAll(read, plan.nodes)
  const proof: Buffer[] = []
  let at = 0
  for (const element of plan.elements) {
    proof.push(foldRight(hashes.slice(at, at + element.length)))
    at += element.length
  }
  return proof
}

/** The root of the tree of `size`, from its root nodes in one read. */
export async function treeRoot(size: number, read: NodeBatchReader): Promise<Buffer> {
  const nodes = rootNodes(size)
  if (nodes.length === 0) return EMPTY_ROOT
  return foldRight(await readAll(read, nodes))
}

/** The inclusion proof (audit path) of leaf `leafIndex` in the tree of `size`, in one read. */
export async function inclusionProof(leafIndex: number, size: number, read: NodeBatchReader): Promise<Buffer[]> {
  return fetchPlan(inclusionProofNodes(leafIndex, size), read)
}

/** The consistency proof from the tree of `size1` to the tree of `size2`, in one read. */
export async function consistencyProof(size1: number, size2: number, read: NodeBatchReader): Promise<Buffer[]> {
  return fetchPlan(consistencyProofNodes(size1, size2), read)
}

// ——— verifying ———

/**
 * RFC 9162 §2.1.3.2. True when `proof` shows the leaf with `leafHash` at `leafIndex` in the tree of
 * `size` whose root is `root`; false when it does not (wrong hashes, too few or too many of them,
 * another root). Throws MerkleError when the input is unusable: sizes that are not integers in
 * [0, 2^53), leafIndex ≥ size, or a leaf or proof hash that is not 32 bytes. `root` is only
 * compared, so a root of another length simply does not match.
 */
export function verifyInclusion(leafIndex: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  checkSize('leafIndex', leafIndex)
  checkSize('size', size)
  if (leafIndex >= size) throw new MerkleError(`leafIndex ${leafIndex} is not below size ${size}`)
  checkHash('leafHash', leafHash)
  checkProof(proof)
  if (!(root instanceof Uint8Array)) throw new MerkleError('root must be bytes')
  let fn = leafIndex
  let sn = size - 1
  let r: Buffer = Buffer.from(leafHash)
  for (const p of proof) {
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r)
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn) }
    } else {
      r = nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && equalBytes(r, root)
}

/**
 * RFC 9162 §2.1.4.2. True when `proof` shows that the tree of `size2` with root `root2` extends the
 * tree of `size1` with root `root1`; false when it does not.
 *
 * Edge cases, as the transparency-dev vectors pin them: equal sizes need an empty proof and equal
 * roots (compared as given, like any root), and for size 0 both roots must be EMPTY_ROOT.
 * Throws MerkleError for unusable input: sizes that are not integers in [0, 2^53), size1 > size2,
 * a proof hash that is not 32 bytes, and size1 = 0 < size2 — the empty tree is a prefix of every
 * tree, so there is nothing to verify and no answer would mean anything (a tlog-witness accepting
 * its first checkpoint handles that case before calling this).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  checkSize('size1', size1)
  checkSize('size2', size2)
  if (size1 > size2) throw new MerkleError(`size1 ${size1} is greater than size2 ${size2}`)
  if (!(root1 instanceof Uint8Array)) throw new MerkleError('root1 must be bytes')
  if (!(root2 instanceof Uint8Array)) throw new MerkleError('root2 must be bytes')
  checkProof(proof)
  if (size1 === size2) {
    if (proof.length > 0 || !equalBytes(root1, root2)) return false
    return size1 > 0 || equalBytes(root1, EMPTY_ROOT)
  }
  if (size1 === 0) throw new MerkleError('size1 is 0: a consistency proof from the empty tree proves nothing')
  if (proof.length === 0) return false

  const path: readonly Uint8Array[] = isPowerOfTwo(size1) ? [root1, ...proof] : proof
  let fn = size1 - 1
  let sn = size2 - 1
  while (isOdd(fn)) { fn = half(fn); sn = half(sn) }
  let fr: Buffer = Buffer.from(path[0]!)
  let sr: Buffer = fr
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!
    if (sn === 0) return false
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (!isOdd(fn)) while (!isOdd(fn) && fn !== 0) { fn = half(fn); sn = half(sn) }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2)
}

function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false
  while (n % 2 === 0) n /= 2
  return n === 1
}

// ——— appending ———

/**
 * The complete-subtree nodes created by appending `newLeafHashes` to the tree of `oldSize`: the new
 * leaves (level 0) and every interior node they complete, in the order they are completed — what
 * a sequencer stores so that later proofs are reads. The left siblings it needs from the old tree
 * (some of its root nodes) come in one read.
 */
export async function appendNodes(oldSize: number, newLeafHashes: readonly Uint8Array[], read: NodeBatchReader): Promise<{ level: number; index: number; hash: Buffer }[]> {
  checkSize('oldSize', oldSize)
  newLeafHashes.forEach((h, i) => checkHash(`newLeafHashes[${i}]`, h))
  const newSize = oldSize + newLeafHashes.length
  checkSize('oldSize + newLeafHashes.length', newSize)
  // An old root node is needed when the new tree completes its parent (old root nodes are always left children).
  const needed = rangeNodes(0, oldSize).filter((n) => (n.index + 2) * 2 ** n.level <= newSize)
  const known = new Map<string, Buffer>()
  const key = (level: number, index: number) => `${level}/${index}`
  const oldHashes = await readAll(read, needed)
  needed.forEach((n, i) => known.set(key(n.level, n.index), oldHashes[i]!))

  const created: { level: number; index: number; hash: Buffer }[] = []
  newLeafHashes.forEach((h, i) => {
    let level = 0
    let index = oldSize + i
    let hash: Buffer = Buffer.from(h)
    created.push({ level, index, hash })
    known.set(key(level, index), hash)
    while (isOdd(index)) {
      const left = known.get(key(level, index - 1))
      if (!left) throw new MerkleError(`node ${level}/${index - 1} was not read`)
      hash = nodeHash(left, hash)
      level++
      index = half(index)
      created.push({ level, index, hash })
      known.set(key(level, index), hash)
    }
  })
  return created
}
