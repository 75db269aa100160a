// The attribution engine: which areas of control cover a point at an instant, in memory, with the
// same answers as PostGIS's `ST_Covers(area, point)` and many times its speed on bulk jobs.
//
// How a point is answered:
// 1. each polygon has its own grid, every cell classified once at build time as inside, outside
//    or boundary. A cell is inside or outside only when no edge comes within MARGIN (1e-9°) of it:
//    every point there is then far enough from the edges for PostGIS's double-precision side test
//    to equal the exact one, so the whole cell has one answer;
// 2. a uniform global grid lists, per cell, the polygons (with their validity) whose grid reaches
//    it, leaving out those all outside there and marking those all inside there, which then answer
//    without a look at their own grid. Most points stop at 1 or 2;
// 3. a point in a boundary cell runs the winding-number test on the edges filed under its grid
//    row, with PostGIS's own arithmetic (or exact arithmetic: see `Predicate`), ring by ring as
//    PostGIS does (exterior, then holes in order).
// PostGIS also rejects a point outside the area's box as stored, rounded outward to single
// precision; the engine applies the same box, which matters only within rounding of an edge.
//
// The engine knows nothing of the database: the service loads `AreaInput`s and calls it.
import type { Position } from 'geojson'
import {
  AreaInputError, type AreaInput, type Attribution, type BuildOptions, type IndexStats, type NearestArea, type Predicate,
} from './attribution.types.ts'
import { exactSide, floatDown, floatUp } from './predicates.ts'
import { MEAN_RADIUS, arcDistance, boxLowerBound, ellipsoidMetres, toLonLat, unitVector, type Vec3 } from './geodesy.ts'

/** How far (degrees) a cell must stay from every edge to be classified inside or outside. */
const MARGIN = 1e-9
// Rasterization and filing use twice the margin, so their own rounding (~1e-14°) cannot matter.
const SLACK = 2 * MARGIN
const OUTSIDE = 0
const INSIDE = 1
const BOUNDARY = 2
const MAX_SIDE = 2048
const MAX_CELLS = 1 << 18
const EDGES_PER_CHUNK = 32
// Batches at least this large are answered grouped by global cell (see attributeMany).
const SORT_FROM = 4096

/** A growable typed array. */
class Grow<T extends Float64Array | Uint32Array | Uint8Array> {
  data: T
  length = 0
  private readonly make: (n: number) => T
  constructor(make: (n: number) => T, capacity = 1024) {
    this.make = make
    this.data = make(capacity)
  }
  reserve(extra: number) {
    if (this.length + extra <= this.data.length) return
    let n = this.data.length * 2
    while (n < this.length + extra) n *= 2
    const next = this.make(n)
    next.set(this.data.subarray(0, this.length))
    this.data = next
  }
  push(v: number) {
    if (this.length === this.data.length) this.reserve(1)
    this.data[this.length++] = v
  }
  done(): T { return this.data.slice(0, this.length) as T }
}

const f64 = (n: number) => new Float64Array(n)
const u32 = (n: number) => new Uint32Array(n)
const u8 = (n: number) => new Uint8Array(n)

function assertRing(areaId: string, ring: Position[], where: string) {
  if (!Array.isArray(ring) || ring.length < 4) throw new AreaInputError('invalid_ring', areaId, `${where} has fewer than 4 positions`)
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2) throw new AreaInputError('invalid_position', areaId, `${where} has a position without longitude and latitude`)
    const [x, y] = p as [number, number]
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) {
      throw new AreaInputError('invalid_position', areaId, `${where} has a position outside EPSG:4326 bounds: ${x}, ${y}`)
    }
  }
  const first = ring[0]!, last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) throw new AreaInputError('unclosed_ring', areaId, `${where} does not end where it starts`)
}

/**
 * An immutable index of areas of control for point attribution.
 *
 * @example
 * const index = AreaIndex.build([{ id: 'idlib', geometry, validFrom: Date.UTC(2016, 1, 27), validTo: null }])
 * index.covering(36.63, 35.93, Date.UTC(2016, 5, 1)) // ['idlib']
 */
export class AreaIndex {
  /** Area ids in the order given; `Attribution.areaIndexes` point into this. */
  readonly ids: readonly string[]
  readonly predicate: Predicate
  /** Milliseconds spent building. */
  readonly buildMs: number

  // Areas: validity, PostGIS's stored (single-precision, outward) box, parts.
  private readonly validFrom: Float64Array
  private readonly validTo: Float64Array
  private readonly floatBox: Float64Array
  private readonly areaBox: Float64Array
  private readonly areaPartStart: Uint32Array
  // Parts (one polygon each): area, rings, grid.
  private readonly partArea: Uint32Array
  private readonly partRingStart: Uint32Array
  private readonly partRingCount: Uint32Array
  private readonly gridX0: Float64Array
  private readonly gridY0: Float64Array
  private readonly gridInvW: Float64Array
  private readonly gridInvH: Float64Array
  private readonly gridCols: Uint32Array
  private readonly gridRows: Uint32Array
  private readonly gridCellStart: Uint32Array
  private readonly gridRowStart: Uint32Array
  private readonly cells: Uint8Array
  // Edges filed per grid row: x1 y1 x2 y2, and the ring (within its part) each comes from.
  private readonly rowEdgeStart: Uint32Array
  private readonly edgeXY: Float64Array
  private readonly edgeRing: Uint32Array
  // Rings' vertices and their chunks' boxes, for `nearest`.
  private readonly ringStart: Uint32Array
  private readonly xs: Float64Array
  private readonly ys: Float64Array
  private readonly ringChunkStart: Uint32Array
  private readonly chunkBox: Float64Array
  // The global grid over all parts.
  private readonly gX0: number
  private readonly gY0: number
  private readonly gInvW: number
  private readonly gInvH: number
  private readonly gCols: number
  private readonly gRows: number
  private readonly gStart: Uint32Array
  // Per entry (a part listed in a global cell): validity, the part's grid origin and scale…
  private readonly gF: Float64Array
  // …and its area, the part (-1: the global cell is all inside it), grid columns, rows, first cell.
  private readonly gI: Int32Array
  private readonly edges: number
  private readonly wn: Int32Array
  private readonly onEdge: Uint8Array

  private constructor(areas: readonly AreaInput[], options: BuildOptions) {
    const started = performance.now()
    this.predicate = options.predicate ?? 'postgis'
    const cellsPerEdge = options.cellsPerEdge ?? 8
    const ids: string[] = []
    const seen = new Set<string>()
    const nA = areas.length
    this.validFrom = f64(nA)
    this.validTo = f64(nA)
    this.floatBox = f64(4 * nA)
    this.areaBox = f64(4 * nA)
    this.areaPartStart = u32(nA + 1)

    // 1. Flatten: areas → parts → rings → vertices.
    const partArea = new Grow(u32), partRingStart = new Grow(u32), ringStart = new Grow(u32)
    const xs = new Grow(f64), ys = new Grow(f64)
    let edges = 0
    for (let a = 0; a < nA; a++) {
      const area = areas[a]!
      const id = area.id
      if (typeof id !== 'string' || id === '') throw new AreaInputError('invalid_id', String(id), 'the id must be a non-empty string')
      if (seen.has(id)) throw new AreaInputError('duplicate_id', id, 'the id is given twice')
      seen.add(id)
      ids.push(id)
      const from = area.validFrom ?? -Infinity
      const to = area.validTo ?? Infinity
      if (Number.isNaN(from) || Number.isNaN(to)) throw new AreaInputError('invalid_interval', id, 'validFrom and validTo must be numbers or null')
      if (to < from) throw new AreaInputError('inverted_interval', id, 'validTo is before validFrom')
      this.validFrom[a] = from
      this.validTo[a] = to
      const g = area.geometry
      if (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon') throw new AreaInputError('invalid_geometry', id, 'the geometry must be a GeoJSON Polygon or MultiPolygon')
      const polygons: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
      this.areaPartStart[a] = partArea.length
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
      polygons.forEach((polygon, pi) => {
        if (polygon.length === 0) return // an empty polygon covers nothing
        partArea.push(a)
        partRingStart.push(ringStart.length)
        polygon.forEach((ring, ri) => {
          assertRing(id, ring, `polygon ${pi}, ring ${ri}`)
          ringStart.push(xs.length)
          for (const p of ring) {
            const x = p[0]!, y = p[1]!
            xs.push(x)
            ys.push(y)
            if (x < minX) minX = x
            if (x > maxX) maxX = x
            if (y < minY) minY = y
            if (y > maxY) maxY = y
          }
          edges += ring.length - 1
        })
      })
      this.areaBox.set([minX, minY, maxX, maxY], 4 * a)
      this.floatBox.set([floatDown(minX), floatDown(minY), floatUp(maxX), floatUp(maxY)], 4 * a)
    }
    this.areaPartStart[nA] = partArea.length
    partRingStart.push(ringStart.length)
    ringStart.push(xs.length)
    this.ids = ids
    this.edges = edges
    this.partArea = partArea.done()
    this.partRingStart = partRingStart.done()
    this.ringStart = ringStart.done()
    this.xs = xs.done()
    this.ys = ys.done()
    const nP = this.partArea.length
    const nR = this.ringStart.length - 1
    this.partRingCount = u32(nP)
    let maxRings = 1
    for (let p = 0; p < nP; p++) {
      this.partRingCount[p] = this.partRingStart[p + 1]! - this.partRingStart[p]!
      maxRings = Math.max(maxRings, this.partRingCount[p]!)
    }
    this.wn = new Int32Array(maxRings)
    this.onEdge = new Uint8Array(maxRings)

    // Chunk boxes for `nearest`.
    const ringChunkStart = u32(nR + 1)
    const chunkBox = new Grow(f64)
    for (let r = 0; r < nR; r++) {
      ringChunkStart[r] = chunkBox.length / 4
      const s = this.ringStart[r]!, e = this.ringStart[r + 1]! - 1
      for (let c = s; c < e; c += EDGES_PER_CHUNK) {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
        for (let v = c; v <= Math.min(c + EDGES_PER_CHUNK, e); v++) {
          const x = this.xs[v]!, y = this.ys[v]!
          if (x < x0) x0 = x
          if (x > x1) x1 = x
          if (y < y0) y0 = y
          if (y > y1) y1 = y
        }
        chunkBox.push(x0); chunkBox.push(y0); chunkBox.push(x1); chunkBox.push(y1)
      }
    }
    ringChunkStart[nR] = chunkBox.length / 4
    this.ringChunkStart = ringChunkStart
    this.chunkBox = chunkBox.done()

    // 2. Each part's grid: file edges per row, mark boundary cells, classify the rest.
    this.gridX0 = f64(nP)
    this.gridY0 = f64(nP)
    this.gridInvW = f64(nP)
    this.gridInvH = f64(nP)
    this.gridCols = u32(nP)
    this.gridRows = u32(nP)
    this.gridCellStart = u32(nP + 1)
    this.gridRowStart = u32(nP + 1)
    const cells = new Grow(u8, 1 << 16)
    const rowEdgeStart = new Grow(u32)
    const edgeXY = new Grow(f64)
    const edgeRing = new Grow(u32)
    const pairRow = new Grow(u32), pairEdge = new Grow(u32), ownXY = new Grow(f64), ownRing = new Grow(u32)
    let counts = new Uint32Array(256)
    for (let p = 0; p < nP; p++) {
      const r0 = this.partRingStart[p]!, r1 = this.partRingStart[p + 1]!
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, n = 0
      for (let v = this.ringStart[r0]!; v < this.ringStart[r1]!; v++) {
        const x = this.xs[v]!, y = this.ys[v]!
        if (x < minX) minX = x
        if (x > maxX) maxX = x
        if (y < minY) minY = y
        if (y > maxY) maxY = y
      }
      for (let r = r0; r < r1; r++) n += this.ringStart[r + 1]! - this.ringStart[r]! - 1
      const x0 = minX - 4 * MARGIN, y0 = minY - 4 * MARGIN
      const w = maxX - minX + 8 * MARGIN, h = maxY - minY + 8 * MARGIN
      const target = Math.min(MAX_CELLS, Math.max(16, cellsPerEdge * n))
      const side = Math.sqrt((w * h) / target)
      const cols = Math.max(1, Math.min(MAX_SIDE, Math.ceil(w / side)))
      const rows = Math.max(1, Math.min(MAX_SIDE, Math.ceil(h / side)))
      const invW = cols / w, invH = rows / h
      const cellW = w / cols, cellH = h / rows
      this.gridX0[p] = x0
      this.gridY0[p] = y0
      this.gridInvW[p] = invW
      this.gridInvH[p] = invH
      this.gridCols[p] = cols
      this.gridRows[p] = rows
      const cellBase = cells.length
      this.gridCellStart[p] = cellBase
      cells.reserve(cols * rows)
      cells.data.fill(OUTSIDE, cellBase, cellBase + cols * rows)
      cells.length += cols * rows

      // Rasterize each edge into every cell it passes within SLACK of, and file it under each row
      // whose band (widened by SLACK) it reaches.
      pairRow.length = 0
      pairEdge.length = 0
      ownXY.length = 0
      ownRing.length = 0
      for (let r = r0; r < r1; r++) {
        for (let v = this.ringStart[r]!; v < this.ringStart[r + 1]! - 1; v++) {
          const ax = this.xs[v]!, ay = this.ys[v]!, bx = this.xs[v + 1]!, by = this.ys[v + 1]!
          if (ax === bx && ay === by) continue // PostGIS ignores zero-length edges
          const e = ownRing.length
          ownXY.push(ax); ownXY.push(ay); ownXY.push(bx); ownXY.push(by)
          ownRing.push(r - r0)
          const lo = Math.min(ay, by), hi = Math.max(ay, by)
          const rowLo = Math.max(0, Math.floor((lo - SLACK - y0) * invH)), rowHi = Math.min(rows - 1, Math.floor((hi + SLACK - y0) * invH))
          for (let row = rowLo; row <= rowHi; row++) {
            const b0 = y0 + row * cellH - SLACK, b1 = y0 + (row + 1) * cellH + SLACK
            let xa: number, xb: number
            if (ay === by) {
              xa = Math.min(ax, bx)
              xb = Math.max(ax, bx)
            } else {
              const ya = Math.max(lo, b0), yb = Math.min(hi, b1)
              if (ya > yb) continue
              const t = (bx - ax) / (by - ay)
              const xya = ax + (ya - ay) * t, xyb = ax + (yb - ay) * t
              xa = Math.min(xya, xyb)
              xb = Math.max(xya, xyb)
            }
            pairRow.push(row)
            pairEdge.push(e)
            const base = cellBase + row * cols
            const c0 = Math.max(0, Math.floor((xa - SLACK - x0) * invW)), c1 = Math.min(cols - 1, Math.floor((xb + SLACK - x0) * invW))
            cells.data.fill(BOUNDARY, base + c0, base + c1 + 1)
          }
        }
      }
      // Counting sort of the (row, edge) pairs into the rows' edge files.
      const rowBase = rowEdgeStart.length
      this.gridRowStart[p] = rowBase
      const filedBase = edgeRing.length
      if (counts.length < rows + 1) counts = new Uint32Array(2 * (rows + 1))
      counts.fill(0, 0, rows + 1)
      for (let i = 0; i < pairRow.length; i++) counts[pairRow.data[i]! + 1]!++
      for (let row = 0; row < rows; row++) counts[row + 1]! += counts[row]!
      for (let row = 0; row <= rows; row++) rowEdgeStart.push(filedBase + counts[row]!)
      edgeXY.reserve(4 * pairRow.length)
      edgeRing.reserve(pairRow.length)
      for (let i = 0; i < pairRow.length; i++) {
        const e = pairEdge.data[i]!
        const at = filedBase + counts[pairRow.data[i]!]!++
        const to = edgeXY.data, from = ownXY.data
        to[4 * at] = from[4 * e]!
        to[4 * at + 1] = from[4 * e + 1]!
        to[4 * at + 2] = from[4 * e + 2]!
        to[4 * at + 3] = from[4 * e + 3]!
        edgeRing.data[at] = ownRing.data[e]!
      }
      edgeXY.length += 4 * pairRow.length
      edgeRing.length += pairRow.length
      this.pendingRows = { rowEdgeStart, edgeXY, edgeRing }

      // Classify each run of non-boundary cells in a row by its first cell's centre: the run has
      // no edge within MARGIN, so it is connected and all on one side.
      for (let row = 0; row < rows; row++) {
        const base = cellBase + row * cols
        const cy = y0 + (row + 0.5) * cellH
        let c = 0
        while (c < cols) {
          if (cells.data[base + c] === BOUNDARY) { c++; continue }
          const start = c
          while (c < cols && cells.data[base + c] !== BOUNDARY) c++
          const cx = x0 + (start + 0.5) * cellW
          const state = this.partTest(p, rowBase + row, cx, cy) ? INSIDE : OUTSIDE
          if (state === INSIDE) cells.data.fill(INSIDE, base + start, base + c)
        }
      }
    }
    this.gridCellStart[nP] = cells.length
    this.gridRowStart[nP] = rowEdgeStart.length
    this.cells = cells.done()
    this.rowEdgeStart = rowEdgeStart.done()
    this.edgeXY = edgeXY.done()
    this.edgeRing = edgeRing.done()
    this.pendingRows = null

    // 3. The global grid over all parts' grids.
    let gx0 = Infinity, gy0 = Infinity, gx1 = -Infinity, gy1 = -Infinity
    for (let p = 0; p < nP; p++) {
      gx0 = Math.min(gx0, this.gridX0[p]!)
      gy0 = Math.min(gy0, this.gridY0[p]!)
      gx1 = Math.max(gx1, this.gridX0[p]! + this.gridCols[p]! / this.gridInvW[p]!)
      gy1 = Math.max(gy1, this.gridY0[p]! + this.gridRows[p]! / this.gridInvH[p]!)
    }
    if (nP === 0) { gx0 = 0; gy0 = 0; gx1 = 1; gy1 = 1 }
    const gw = gx1 - gx0, gh = gy1 - gy0
    const gTarget = Math.min(1 << 21, Math.max(256, 4 * nP))
    const gSide = Math.sqrt((gw * gh) / gTarget)
    this.gCols = Math.max(1, Math.min(4096, Math.ceil(gw / gSide)))
    this.gRows = Math.max(1, Math.min(4096, Math.ceil(gh / gSide)))
    this.gX0 = gx0
    this.gY0 = gy0
    this.gInvW = this.gCols / gw
    this.gInvH = this.gRows / gh
    // Each (global cell, part) pair becomes an entry unless the part's cells under the global cell
    // are all outside; when they are all inside (and the part's grid holds the whole global cell),
    // the entry says so and a point there needs no lookup in the part's grid.
    const gW = gw / this.gCols, gH = gh / this.gRows
    const gc = (x: number) => Math.min(this.gCols - 1, Math.max(0, Math.floor((x - gx0) * this.gInvW)))
    const gr = (y: number) => Math.min(this.gRows - 1, Math.max(0, Math.floor((y - gy0) * this.gInvH)))
    const entryCell = new Grow(u32), entryPart = new Grow(u32), entryInside = new Grow(u8)
    for (let p = 0; p < nP; p++) {
      const x0 = this.gridX0[p]!, y0 = this.gridY0[p]!, invW = this.gridInvW[p]!, invH = this.gridInvH[p]!
      const cols = this.gridCols[p]!, rows = this.gridRows[p]!, base = this.gridCellStart[p]!
      const x1 = x0 + cols / invW, y1 = y0 + rows / invH
      for (let r = gr(y0), rl = gr(y1); r <= rl; r++) {
        const ylo = gy0 + r * gH - MARGIN, yhi = gy0 + (r + 1) * gH + MARGIN
        const pr0 = Math.max(0, Math.floor((ylo - y0) * invH)), pr1 = Math.min(rows - 1, Math.floor((yhi - y0) * invH))
        for (let c = gc(x0), cl = gc(x1); c <= cl; c++) {
          const xlo = gx0 + c * gW - MARGIN, xhi = gx0 + (c + 1) * gW + MARGIN
          const pc0 = Math.max(0, Math.floor((xlo - x0) * invW)), pc1 = Math.min(cols - 1, Math.floor((xhi - x0) * invW))
          let inside = 0, outside = 0, boundary = false
          scan: for (let pr = pr0; pr <= pr1; pr++) {
            for (let pc = pc0; pc <= pc1; pc++) {
              const state = cells.data[base + pr * cols + pc]
              if (state === INSIDE) inside++
              else if (state === OUTSIDE) outside++
              else { boundary = true; break scan }
            }
          }
          if (!boundary && inside === 0) continue
          const within = xlo >= x0 && xhi <= x1 && ylo >= y0 && yhi <= y1
          entryCell.push(r * this.gCols + c)
          entryPart.push(p)
          entryInside.push(within && !boundary && outside === 0 ? 1 : 0)
        }
      }
    }
    const nE = entryCell.length
    const gStart = u32(this.gCols * this.gRows + 1)
    for (let e = 0; e < nE; e++) gStart[entryCell.data[e]! + 1]!++
    for (let i = 0; i < this.gCols * this.gRows; i++) gStart[i + 1]! += gStart[i]!
    const gF = f64(6 * nE), gI = new Int32Array(5 * nE)
    const gFill = gStart.slice(0, this.gCols * this.gRows)
    for (let e = 0; e < nE; e++) {
      const k = gFill[entryCell.data[e]!]!++
      const p = entryPart.data[e]!, a = this.partArea[p]!
      gF[6 * k] = this.validFrom[a]!
      gF[6 * k + 1] = this.validTo[a]!
      gF[6 * k + 2] = this.gridX0[p]!
      gF[6 * k + 3] = this.gridY0[p]!
      gF[6 * k + 4] = this.gridInvW[p]!
      gF[6 * k + 5] = this.gridInvH[p]!
      gI[5 * k] = a
      gI[5 * k + 1] = entryInside.data[e] ? -1 : p
      gI[5 * k + 2] = this.gridCols[p]!
      gI[5 * k + 3] = this.gridRows[p]!
      gI[5 * k + 4] = this.gridCellStart[p]!
    }
    this.gStart = gStart
    this.gF = gF
    this.gI = gI
    this.buildMs = performance.now() - started
  }

  // While building, the row files live in growable buffers; `partTest` reads them from here.
  private pendingRows: { rowEdgeStart: Grow<Uint32Array>; edgeXY: Grow<Float64Array>; edgeRing: Grow<Uint32Array> } | null = null

  /**
   * Builds the index. Throws `AreaInputError` for a geometry or interval it cannot index (unclosed
   * or short rings, non-finite or out-of-range coordinates, duplicate ids, validTo before validFrom).
   */
  static build(areas: readonly AreaInput[], options: BuildOptions = {}): AreaIndex {
    return new AreaIndex(areas, options)
  }

  /**
   * The ids of every area that covers the point (interior or boundary, as `ST_Covers`) and, when
   * `at` is given (epoch ms), is valid then.
   */
  covering(lon: number, lat: number, at?: number): string[] {
    const sink = new Grow(u32, 8)
    this.collect(lon, lat, at ?? NaN, sink)
    return Array.from(sink.data.subarray(0, sink.length), (a) => this.ids[a]!)
  }

  /**
   * Attributes many points at once: point i is (lons[i], lats[i]) at ats[i] (epoch ms; NaN or no
   * `ats` means at any time). The fast path for bulk jobs: large batches are visited grouped by
   * global grid cell, so each cell's polygons stay in cache while its points are answered.
   */
  attributeMany(lons: Float64Array, lats: Float64Array, ats?: Float64Array): Attribution {
    const n = lons.length
    if (lats.length !== n || (ats && ats.length !== n)) throw new RangeError('lons, lats and ats must have the same length')
    const offsets = new Uint32Array(n + 1)
    const sink = new Grow(u32, Math.max(1024, n * 2))
    if (n < SORT_FROM) {
      for (let i = 0; i < n; i++) {
        this.collect(lons[i]!, lats[i]!, ats ? ats[i]! : NaN, sink)
        offsets[i + 1] = sink.length
      }
      return { offsets, areaIndexes: sink.done() }
    }
    // Counting sort of the points by block of global cells (points off the grid last), with their
    // coordinates gathered in that order. A block's polygons fit in cache, and a few hundred blocks
    // keep the sort's own writes in a few hundred sequential streams.
    const { gX0, gY0, gInvW, gInvH, gCols, gRows } = this
    let shift = 0
    while ((gCols >> shift) * (gRows >> shift) > 1024) shift++
    const blockCols = (gCols >> shift) + 1
    const blocks = blockCols * ((gRows >> shift) + 1)
    const key = new Uint32Array(n)
    const start = new Uint32Array(blocks + 2)
    for (let i = 0; i < n; i++) {
      const gc = Math.floor((lons[i]! - gX0) * gInvW), gr = Math.floor((lats[i]! - gY0) * gInvH)
      const b = gc >= 0 && gc < gCols && gr >= 0 && gr < gRows ? (gr >> shift) * blockCols + (gc >> shift) : blocks
      key[i] = b
      start[b + 1]!++
    }
    for (let b = 0; b <= blocks; b++) start[b + 1]! += start[b]!
    const order = new Uint32Array(n)
    const sx = new Float64Array(n), sy = new Float64Array(n), st = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const j = start[key[i]!]!++
      order[j] = i
      sx[j] = lons[i]!
      sy[j] = lats[i]!
      st[j] = ats ? ats[i]! : NaN
    }
    // Answer in that order, then put the answers back in the caller's order.
    const sortedEnd = new Uint32Array(n + 1)
    // After the scatter, start[b] is where block b's points end; the off-grid points come last and
    // find nothing.
    const inGrid = start[blocks - 1]!
    for (let j = 0; j < n; j++) {
      if (j < inGrid) this.collect(sx[j]!, sy[j]!, st[j]!, sink)
      sortedEnd[j + 1] = sink.length
    }
    for (let j = 0; j < n; j++) offsets[order[j]! + 1] = sortedEnd[j + 1]! - sortedEnd[j]!
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!
    const sorted = sink.data
    const areaIndexes = new Uint32Array(sink.length)
    for (let j = 0; j < n; j++) {
      let to = offsets[order[j]!]!
      for (let k = sortedEnd[j]!, end = sortedEnd[j + 1]!; k < end; k++) areaIndexes[to++] = sorted[k]!
    }
    return { offsets, areaIndexes }
  }

  /** The ids of point i's areas in an `attributeMany` result. */
  idsOf(result: Attribution, i: number): string[] {
    const out: string[] = []
    for (let k = result.offsets[i]!; k < result.offsets[i + 1]!; k++) out.push(this.ids[result.areaIndexes[k]!]!)
    return out
  }

  /**
   * The nearest area valid at `at` (any time when omitted): 0 m when the point is covered, else the
   * distance to the area's boundary. Null when no area is valid then.
   */
  nearest(lon: number, lat: number, at?: number): NearestArea | null {
    const t = at ?? NaN
    const sink = new Grow(u32, 8)
    this.collect(lon, lat, t, sink)
    const covered = sink.length ? sink.data[0]! : -1
    if (covered !== -1) return { id: this.ids[covered]!, metres: 0, sphericalMetres: 0, boundary: { lon, lat } }
    const p = unitVector(lon, lat)
    const candidates: { a: number; bound: number }[] = []
    for (let a = 0; a < this.ids.length; a++) {
      if (t === t && !(t >= this.validFrom[a]! && t < this.validTo[a]!)) continue
      if (this.areaPartStart[a] === this.areaPartStart[a + 1]) continue
      const b = this.areaBox
      candidates.push({ a, bound: boxLowerBound(lon, lat, b[4 * a]!, b[4 * a + 1]!, b[4 * a + 2]!, b[4 * a + 3]!) })
    }
    candidates.sort((u, v) => u.bound - v.bound)
    let best = Infinity, bestArea = -1
    let bestPoint: Vec3 = p
    for (const { a, bound } of candidates) {
      if (bound > best) break
      for (let part = this.areaPartStart[a]!; part < this.areaPartStart[a + 1]!; part++) {
        for (let r = this.partRingStart[part]!; r < this.partRingStart[part + 1]!; r++) {
          const s = this.ringStart[r]!, e = this.ringStart[r + 1]! - 1
          for (let ch = this.ringChunkStart[r]!, k = 0; ch < this.ringChunkStart[r + 1]!; ch++, k++) {
            const cb = this.chunkBox
            if (boxLowerBound(lon, lat, cb[4 * ch]!, cb[4 * ch + 1]!, cb[4 * ch + 2]!, cb[4 * ch + 3]!) > best) continue
            const v0 = s + k * EDGES_PER_CHUNK
            let u = unitVector(this.xs[v0]!, this.ys[v0]!)
            for (let v = v0; v < Math.min(v0 + EDGES_PER_CHUNK, e); v++) {
              const w = unitVector(this.xs[v + 1]!, this.ys[v + 1]!)
              const d = arcDistance(p, u, w)
              if (d.angle < best) { best = d.angle; bestArea = a; bestPoint = d.nearest }
              u = w
            }
          }
        }
      }
    }
    if (bestArea === -1) return null
    const boundary = toLonLat(bestPoint)
    return {
      id: this.ids[bestArea]!,
      metres: ellipsoidMetres(lon, lat, boundary.lon, boundary.lat),
      sphericalMetres: best * MEAN_RADIUS,
      boundary,
    }
  }

  stats(): IndexStats {
    let boundaryCells = 0, insideCells = 0
    for (const s of this.cells) {
      if (s === BOUNDARY) boundaryCells++
      else if (s === INSIDE) insideCells++
    }
    const arrays = [this.validFrom, this.validTo, this.floatBox, this.areaBox, this.areaPartStart, this.partArea, this.partRingStart,
      this.partRingCount, this.gridX0, this.gridY0, this.gridInvW, this.gridInvH, this.gridCols, this.gridRows,
      this.gridCellStart, this.gridRowStart, this.cells, this.rowEdgeStart, this.edgeXY, this.edgeRing, this.ringStart, this.xs,
      this.ys, this.ringChunkStart, this.chunkBox, this.gStart, this.gF, this.gI]
    return {
      areas: this.ids.length,
      parts: this.partArea.length,
      rings: this.ringStart.length - 1,
      edges: this.edges,
      filedEdges: this.edgeRing.length,
      cells: this.cells.length,
      boundaryCells,
      insideCells,
      globalCells: this.gCols * this.gRows,
      globalEntries: this.gI.length / 5,
      bytes: arrays.reduce((n, x) => n + x.byteLength, 0),
    }
  }

  /** Pushes onto `sink` each area (in order) covering the point and valid at `at` (NaN: any time). */
  private collect(x: number, y: number, at: number, sink: Grow<Uint32Array>) {
    const gc = Math.floor((x - this.gX0) * this.gInvW), gr = Math.floor((y - this.gY0) * this.gInvH)
    if (!(gc >= 0 && gc < this.gCols && gr >= 0 && gr < this.gRows)) return
    const g = gr * this.gCols + gc
    const { gF, gI, cells } = this
    const timed = at === at
    let last = -1
    for (let k = this.gStart[g]!, end = this.gStart[g + 1]!; k < end; k++) {
      const a = gI[5 * k]!
      if (a === last) continue
      if (timed && !(at >= gF[6 * k]! && at < gF[6 * k + 1]!)) continue
      const p = gI[5 * k + 1]!
      if (p >= 0) {
        const cols = gI[5 * k + 2]!
        const c = Math.floor((x - gF[6 * k + 2]!) * gF[6 * k + 4]!)
        const r = Math.floor((y - gF[6 * k + 3]!) * gF[6 * k + 5]!)
        if (!(c >= 0 && c < cols && r >= 0 && r < gI[5 * k + 3]!)) continue
        const s = cells[gI[5 * k + 4]! + r * cols + c]!
        if (s === OUTSIDE) continue
        if (s === BOUNDARY && !this.boundaryTest(p, this.gridRowStart[p]! + r, x, y)) continue
      }
      sink.push(a)
      last = a
    }
  }

  /** A point in a boundary cell: PostGIS's stored-box check, then the rings' test. */
  private boundaryTest(part: number, rowIndex: number, x: number, y: number): boolean {
    if (this.predicate === 'postgis') {
      const a = 4 * this.partArea[part]!
      const b = this.floatBox
      if (!(x >= b[a]! && y >= b[a + 1]! && x <= b[a + 2]! && y <= b[a + 3]!)) return false
    }
    return this.partTest(part, rowIndex, x, y)
  }

  /**
   * Whether the part covers (x, y), from the edges filed under the point's grid row: each ring's
   * winding number, or on-edge, as PostGIS's point_in_ring; then exterior and holes in order.
   */
  private partTest(part: number, rowIndex: number, x: number, y: number): boolean {
    const rows = this.pendingRows
    const starts = rows ? rows.rowEdgeStart.data : this.rowEdgeStart
    const xy = rows ? rows.edgeXY.data : this.edgeXY
    const ringOf = rows ? rows.edgeRing.data : this.edgeRing
    const from = starts[rowIndex]!, to = starts[rowIndex + 1]!
    const exact = this.predicate === 'exact'
    const nRings = this.partRingCount[part]!
    if (nRings === 1) {
      let wn = 0
      for (let e = from; e < to; e++) {
        const ax = xy[4 * e]!, ay = xy[4 * e + 1]!, bx = xy[4 * e + 2]!, by = xy[4 * e + 3]!
        const side = exact ? exactSide(ax, ay, bx, by, x, y) : (bx - ax) * (y - ay) - (x - ax) * (by - ay)
        if (side === 0) {
          if (x >= Math.min(ax, bx) && x <= Math.max(ax, bx) && y >= Math.min(ay, by) && y <= Math.max(ay, by)) return true
        }
        if (ay <= y && y < by && side > 0) wn++
        else if (by <= y && y < ay && side < 0) wn--
      }
      return wn !== 0
    }
    const wn = this.wn, onEdge = this.onEdge
    wn.fill(0, 0, nRings)
    onEdge.fill(0, 0, nRings)
    for (let e = from; e < to; e++) {
      const ring = ringOf[e]!
      if (onEdge[ring]) continue
      const ax = xy[4 * e]!, ay = xy[4 * e + 1]!, bx = xy[4 * e + 2]!, by = xy[4 * e + 3]!
      const side = exact ? exactSide(ax, ay, bx, by, x, y) : (bx - ax) * (y - ay) - (x - ax) * (by - ay)
      if (side === 0) {
        if (x >= Math.min(ax, bx) && x <= Math.max(ax, bx) && y >= Math.min(ay, by) && y <= Math.max(ay, by)) { onEdge[ring] = 1; continue }
      }
      if (ay <= y && y < by && side > 0) wn[ring]!++
      else if (by <= y && y < ay && side < 0) wn[ring]!--
    }
    if (onEdge[0]) return true
    if (wn[0] === 0) return false
    for (let r = 1; r < nRings; r++) {
      if (onEdge[r]) return true
      if (wn[r] !== 0) return false
    }
    return true
  }
}
