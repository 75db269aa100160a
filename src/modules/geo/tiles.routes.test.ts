// Vector tiles of the demo's layers through the API, decoded by an independent MVT reader
// (@mapbox/vector-tile): each party's claims as it may see them, filtered by time and claimant,
// hidden layers answering like missing ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anonymous, DEMO, makeTestApp, signIn, type Session, type TestApp } from '../../../test/helpers/app.ts'
import { dialects } from '../../../test/helpers/db.ts'
import { worldX, worldY } from './tiles/project.ts'
import { decodeTile } from './tiles/test-support.ts'

const tileOf = (lon: number, lat: number, z: number) => [z, Math.floor(worldX(lon) * 2 ** z), Math.floor(worldY(lat) * 2 ** z)] as const

type Decoded = { count: number; props: Record<string, unknown>[]; types: number[] }
const decode = (body: Buffer): Decoded => {
  const layer = decodeTile(body).features
  if (!layer) return { count: 0, props: [], types: [] }
  for (const f of layer.features) expect(f.geometry.length).toBeGreaterThan(0)
  return { count: layer.features.length, props: layer.features.map((f) => f.properties), types: layer.features.map((f) => ['Unknown', 'Point', 'LineString', 'Polygon'].indexOf(f.type)) }
}

describe.each(dialects())('vector tiles on %s', (dialect) => {
  let t: TestApp
  let us: Session
  let ru: Session
  const aleppo = tileOf(37.185, 36.21, 11)
  const get = async (who: { request: Session['request'] }, url: string) => {
    const res = await who.request('GET', url)
    return res
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect)
    us = await signIn(t.app, DEMO.coordinatorUs)
    ru = await signIn(t.app, DEMO.coordinatorRu)
  })
  afterAll(async () => { await t?.close() })

  it('serves both guarantors’ claims over eastern Aleppo, by date and by claimant', async () => {
    const res = await get(us, `/tiles/control-2016/${aleppo.join('/')}.mvt?at=2016-03-15T00:00:00Z`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
    const both = decode(res.rawPayload)
    expect(both.count).toBe(2)
    expect(both.types).toEqual([3, 3])
    expect(both.props.map((p) => p.claimant).sort()).toEqual(['ru', 'us'])
    expect(both.props.every((p) => typeof p.actor_id === 'string' && p.name === 'Eastern Aleppo')).toBe(true)
    // Russia's claim named Jabhat al-Nusra until the rename on 28 July 2016.
    const august = decode((await get(us, `/tiles/control-2016/${aleppo.join('/')}.mvt?at=2016-08-15T00:00:00Z`)).rawPayload)
    expect(august.props.map((p) => p.claimant)).toEqual(['us'])
    const onlyRu = decode((await get(ru, `/tiles/control-2016/${aleppo.join('/')}.mvt?at=2016-03-15T00:00:00Z&claimant=ru&lang=ru`)).rawPayload)
    expect(onlyRu.props).toEqual([expect.objectContaining({ claimant: 'ru', name: 'Восточный Алеппо' })])
  })

  it('gives an empty tile where nothing is, and the protected sites as points', async () => {
    const empty = await get(us, '/tiles/control-2016/3/0/0.mvt')
    expect(empty.statusCode, empty.body).toBe(200)
    expect(decode(empty.rawPayload).count).toBe(0)
    const sites = decode((await get(us, `/tiles/protected-sites/${aleppo.join('/')}.mvt`)).rawPayload)
    expect(sites.types).toEqual([1])
    expect(sites.props[0]).toMatchObject({ site_kind: 'hospital', radius_m: 300 })
  })

  it('shows the public its public layers only, and refuses tiles that do not exist', async () => {
    const pub = anonymous(t.app)
    expect((await get(pub, `/tiles/besieged-2016/${tileOf(36.098, 33.689, 10).join('/')}.mvt`)).statusCode).toBe(200)
    const hidden = await get(pub, `/tiles/control-2016/${aleppo.join('/')}.mvt`)
    const missing = await get(pub, `/tiles/no-such-layer/${aleppo.join('/')}.mvt`)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().error).toEqual(missing.json().error)
    expect((await get(us, '/tiles/control-2016/3/8/0.mvt')).statusCode).toBe(400)
    expect((await get(us, '/tiles/control-2016/23/0/0.mvt')).statusCode).toBe(400)
    expect((await get(us, '/tiles/control-2016/3/0/0.png')).statusCode).toBe(400)
  })
})
