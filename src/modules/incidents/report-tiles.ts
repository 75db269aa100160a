// Vector tiles of every report's place, from the in-memory point index (geo/tiles/point-index.ts),
// so the map shows a million reports without the database: /tiles/reports/{z}/{x}/{y}.mvt.
// The index is built on first use and catches up on each request with the reports written since
// (reports are append-only and their disclosure never changes, so nothing is ever taken out).
// Each distinct disclosure (visibility, owner, named parties) is one audience; a request sees the
// audiences its principal may read, decided by the same rule SQL applies.
import { sql, type Kysely } from 'kysely'
import type { DB, Visibility } from '../../db/schema.ts'
import { isVisible } from '../../lib/visibility.ts'
import type { Principal } from '../access/access.policy.ts'
import { PointIndex } from '../geo/tiles/point-index.ts'

type Audience = { visibility: Visibility; owner_party_id: string; restricted_to: string[] }

export function reportTiles(db: Kysely<DB>) {
  let index: PointIndex | null = null
  let lastSeq = 0
  const audiences: Audience[] = []
  const audienceIds = new Map<string, number>()
  let catchingUp: Promise<void> | null = null

  const audienceOf = (a: Audience) => {
    const key = `${a.visibility}|${a.owner_party_id}|${[...a.restricted_to].sort().join(',')}`
    let id = audienceIds.get(key)
    if (id === undefined) {
      id = audiences.length
      audiences.push(a)
      audienceIds.set(key, id)
    }
    return id
  }

  /** Adds the reports written since the last look, in batches. */
  async function catchUp(): Promise<void> {
    index ??= new PointIndex({ properties: { category: 'category', date_precision: 'number', where_precision: 'number' } })
    for (;;) {
      const rows = await sql<{ seq: number; lon: number; lat: number; coarse: boolean; occurred_at: Date; visibility: Visibility; owner_party_id: string; restricted_to: string[]; category: string; date_precision: number; where_precision: number }>`
        select seq, st_x(st_pointonsurface(geom)) lon, st_y(st_pointonsurface(geom)) lat, channel in ('public_form', 'sms') coarse, occurred_at, visibility, owner_party_id, restricted_to,
          category, date_precision, where_precision
        from reports where seq > ${lastSeq} order by seq limit 50000`.execute(db)
      for (const r of rows.rows) {
        index.add({
          // A member of the public's report is drawn where it was coarsened to (0.01°, about 1 km), for everyone.
          id: Number(r.seq), lon: r.coarse ? Math.round(r.lon * 100) / 100 : r.lon, lat: r.coarse ? Math.round(r.lat * 100) / 100 : r.lat, time: r.occurred_at.getTime(), audience: audienceOf(r),
          properties: { category: r.category, date_precision: r.date_precision, where_precision: r.where_precision },
        })
        lastSeq = Number(r.seq)
      }
      if (rows.rows.length < 50000) break
    }
  }

  return {
    async tile(viewer: Principal, z: number, x: number, y: number, options: { from?: Date | undefined; to?: Date | undefined }): Promise<Uint8Array> {
      // One catch-up at a time; requests arriving meanwhile wait for it.
      catchingUp ??= catchUp().finally(() => { catchingUp = null })
      await catchingUp
      const seen = new Map<number, boolean>()
      return index!.tile(z, x, y, {
        from: options.from?.getTime(), to: options.to?.getTime(), layer: 'reports', timeProperty: 'occurred_at',
        canSee: (a) => {
          let v = seen.get(a)
          if (v === undefined) { v = isVisible(viewer, audiences[a]!); seen.set(a, v) }
          return v
        },
      })
    },
    /** Reports held in memory (for the tests and the logs). */
    size: () => index?.size ?? 0,
  }
}
