// For the tile tests only: reads our tiles back with an independent decoder (@mapbox/vector-tile
// on pbf, what MapLibre itself runs), plus the raw key/value tables, which that decoder hides.
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { seededRandom } from '../../../lib/random.ts'

export type DecodedFeature = {
  id: number | undefined
  type: 'Point' | 'LineString' | 'Polygon' | 'Unknown'
  properties: Record<string, number | string | boolean>
  geometry: [number, number][][]
}

export type DecodedLayer = { name: string; version: number; extent: number; features: DecodedFeature[] }

const TYPES = ['Unknown', 'Point', 'LineString', 'Polygon'] as const

export function decodeTile(bytes: Uint8Array): Record<string, DecodedLayer> {
  const tile = new VectorTile(new PbfReader(bytes))
  const out: Record<string, DecodedLayer> = {}
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = []
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i)
      features.push({
        id: f.id,
        type: TYPES[f.type],
        properties: { ...f.properties },
        geometry: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y] as [number, number])),
      })
    }
    out[name] = { name: layer.name, version: layer.version, extent: layer.extent, features }
  }
  return out
}

/** One layer's key table and value table as written, each value with the Value field that held it. */
export function rawTables(bytes: Uint8Array, layerName: string): { keys: string[]; values: { field: number; value: unknown }[] } {
  const pbf = new PbfReader(bytes)
  let found: { keys: string[]; values: { field: number; value: unknown }[] } | undefined
  pbf.readFields((tag, _r, p) => {
    if (tag !== 3) return
    const layer = { name: '', keys: [] as string[], values: [] as { field: number; value: unknown }[] }
    p.readMessage((t, l, q) => {
      if (t === 1) l.name = q.readString()
      else if (t === 3) l.keys.push(q.readString())
      else if (t === 4) {
        q.readMessage((vt, v, r) => {
          v.field = vt
          v.value = vt === 1 ? r.readString() : vt === 3 ? r.readDouble() : vt === 6 ? r.readSVarint() : vt === 7 ? r.readBoolean() : r.readVarint(true)
        }, (l.values[l.values.length] = { field: 0, value: undefined as unknown }))
      }
    }, layer)
    if (layer.name === layerName) found = layer
  }, {})
  if (!found) throw new Error(`no layer ${layerName}`)
  return found
}

/** Twice the surveyor's-formula area of a decoded ring (closing point included or not). */
export function doubleArea(ring: readonly (readonly [number, number])[]): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1]
  return sum
}

/** A seeded generator (mulberry32, src/lib/random.ts). */
export const rng = seededRandom
