// GeoJSON polygons as well-known binary, so that PostGIS receives the engine's exact doubles
// (`ST_GeomFromWKB($1, 4326)`) with no decimal text in between.
import type { MultiPolygon, Polygon, Position } from 'geojson'

const POLYGON = 3
const MULTIPOLYGON = 6

/**
 * Little-endian WKB of a Polygon or MultiPolygon (2D: any third coordinate is dropped).
 *
 * @example
 * await sql`insert into areas (geom) values (ST_GeomFromWKB(${toWkb(geometry)}, 4326))`
 */
export function toWkb(geometry: Polygon | MultiPolygon): Buffer {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  const ringBytes = (ring: Position[]) => 4 + 16 * ring.length
  const polygonBytes = (rings: Position[][]) => 9 + rings.reduce((n, r) => n + ringBytes(r), 0)
  const size = geometry.type === 'Polygon' ? polygonBytes(geometry.coordinates) : 9 + polygons.reduce((n, p) => n + polygonBytes(p), 0)
  const out = Buffer.alloc(size)
  let at = 0
  const header = (type: number, count: number) => {
    out.writeUInt8(1, at)
    out.writeUInt32LE(type, at + 1)
    out.writeUInt32LE(count, at + 5)
    at += 9
  }
  const polygon = (rings: Position[][]) => {
    header(POLYGON, rings.length)
    for (const ring of rings) {
      out.writeUInt32LE(ring.length, at)
      at += 4
      for (const p of ring) {
        out.writeDoubleLE(p[0]!, at)
        out.writeDoubleLE(p[1]!, at + 8)
        at += 16
      }
    }
  }
  if (geometry.type === 'Polygon') polygon(geometry.coordinates)
  else {
    header(MULTIPOLYGON, polygons.length)
    for (const p of polygons) polygon(p)
  }
  return out
}
