// The CRS a file declares, as an EPSG code PostGIS can reproject from: GeoJSON's legacy `crs`
// member (also written into some TopoJSON files) and a shapefile's .prj (WKT 1, ESRI or OGC
// flavour, or WKT 2). Only what names a code unambiguously is taken; anything else is refused
// with the name the file gave, because guessing a CRS would silently misplace every feature.
import { GeoImportError, type Crs, type GeoImportWhere } from './types.ts'

/** EPSG:4326 longitude/latitude, what RFC 7946 GeoJSON is when it declares nothing. */
export const WGS84 = 4326

// Geographic CRSes whose coordinates are degrees, checked against ±180 / ±90.
const GEOGRAPHIC = new Set([4326, 4258, 4269])
export const isGeographic = (epsg: number): boolean => GEOGRAPHIC.has(epsg)

/** Web Mercator and WGS 84 / UTM: projected CRSes in metres whose real coordinates are never all within ±180/±90. */
export const isMetricWorldwide = (epsg: number): boolean =>
  epsg === 3857 || (epsg >= 32601 && epsg <= 32660) || (epsg >= 32701 && epsg <= 32760)

// ESRI's and old GDAL's codes for Web Mercator, which EPSG now calls 3857.
const MERCATOR_ALIASES = new Set([900913, 102100, 102113, 3785])

const MAX_SRID = 998_999 // PostGIS keeps codes above this for itself

const CRS_NAME_PATTERNS: RegExp[] = [
  /^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$/i,
  /^EPSG:(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/gml\/srs\/epsg\.xml#(\d+)$/i,
]
const CRS84 = [
  /^urn:ogc:def:crs:OGC:(?:1\.3)?:CRS84$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84$/i,
  /^(?:OGC:)?CRS84$/i,
]

/**
 * The EPSG code a CRS name stands for, or undefined when it names none we can trust.
 *
 * @example
 * epsgFromName('urn:ogc:def:crs:EPSG::32637') // 32637
 * epsgFromName('urn:ogc:def:crs:OGC:1.3:CRS84') // 4326
 */
export function epsgFromName(name: string): number | undefined {
  const s = name.trim()
  if (CRS84.some((p) => p.test(s))) return WGS84
  if (/^ESRI:(102100|102113)$/i.test(s)) return 3857
  for (const p of CRS_NAME_PATTERNS) {
    const m = p.exec(s)
    if (!m) continue
    const code = Number(m[1])
    if (MERCATOR_ALIASES.has(code)) return 3857
    return code >= 1 && code <= MAX_SRID ? code : undefined
  }
  return undefined
}

/**
 * Reads a legacy GeoJSON `crs` member (GeoJSON 2008: `{ type: 'name', properties: { name } }`, or the
 * older `{ type: 'EPSG', properties: { code } }`). A `link` CRS, `null` ("no CRS") or an unknown
 * name is `crs_unsupported`.
 */
export function crsFromMember(value: unknown, where: GeoImportWhere = { element: 'crs' }): Crs {
  const refuse = (reason: string): never => { throw new GeoImportError('crs_unsupported', reason, where) }
  if (value === null) return refuse("'crs' is null, which says the CRS is unknown; remove it if the coordinates are longitude/latitude on WGS84, or name the CRS (urn:ogc:def:crs:EPSG::<code>)")
  if (typeof value !== 'object' || Array.isArray(value)) return refuse("'crs' is not an object")
  const crs = value as { type?: unknown; properties?: unknown }
  const props = (typeof crs.properties === 'object' && crs.properties !== null ? crs.properties : {}) as Record<string, unknown>
  if (crs.type === 'name' && typeof props.name === 'string') {
    const epsg = epsgFromName(props.name)
    if (epsg === undefined) refuse(`the CRS "${props.name}" is not one we can read; name it as urn:ogc:def:crs:EPSG::<code> or EPSG:<code>`)
    return { epsg: epsg!, declared: true }
  }
  if (crs.type === 'EPSG' && typeof props.code === 'number' && Number.isInteger(props.code)) {
    const epsg = epsgFromName(`EPSG:${props.code}`)
    if (epsg === undefined) refuse(`EPSG code ${props.code} is out of range`)
    return { epsg: epsg!, declared: true }
  }
  if (crs.type === 'link') return refuse("a linked CRS ('type': 'link') cannot be read; name it instead (urn:ogc:def:crs:EPSG::<code>)")
  return refuse(`a CRS of type ${JSON.stringify(crs.type ?? null)} is not one we can read; name it as urn:ogc:def:crs:EPSG::<code>`)
}

// ---- WKT (.prj) ----

export type WktNode = { keyword: string; args: WktValue[] }
export type WktValue = WktNode | string | number

const MAX_WKT_DEPTH = 32

/** Parses WKT 1 or WKT 2 into a tree; bare words (e.g. `AXIS["E",EAST]`) become strings. */
export function parseWkt(text: string): WktNode {
  let i = 0
  const fail = (reason: string): never => { throw new Error(`${reason} at character ${i + 1}`) }
  const space = () => { while (i < text.length && /\s/.test(text[i]!)) i++ }
  const word = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64))
    if (!m) return fail('expected a keyword')
    i += m[0].length
    return m[0]
  }
  const node = (keyword: string, depth: number): WktNode => {
    if (depth > MAX_WKT_DEPTH) fail('nested too deep')
    const close = text[i] === '[' ? ']' : ')'
    i++
    const args: WktValue[] = []
    for (;;) {
      space()
      const c = text[i]
      if (c === undefined) fail('unexpected end')
      if (c === close && args.length === 0) { i++; break }
      if (c === '"') {
        let s = ''
        i++
        for (;;) {
          const q = text.indexOf('"', i)
          if (q === -1) fail('a string is never closed')
          s += text.slice(i, q)
          i = q + 1
          if (text[i] === '"') { s += '"'; i++ } else break
        }
        args.push(s)
      } else if (/[-+.\d]/.test(c!)) {
        const m = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 64))
        if (!m) fail('expected a number')
        args.push(Number(m![0]))
        i += m![0].length
      } else {
        const w = word()
        space()
        args.push(text[i] === '[' || text[i] === '(' ? node(w.toUpperCase(), depth + 1) : w)
      }
      space()
      if (i >= text.length) fail('unexpected end (cut short?)')
      if (text[i] === ',') { i++; continue }
      if (text[i] === close) { i++; break }
      fail(`expected ',' or '${close}'`)
    }
    return { keyword, args }
  }
  space()
  const keyword = word().toUpperCase()
  space()
  if (text[i] !== '[' && text[i] !== '(') fail("expected '['")
  const root = node(keyword, 0)
  space()
  if (i < text.length) fail('text after the end')
  return root
}

const HORIZONTAL = new Set(['PROJCS', 'GEOGCS', 'PROJCRS', 'GEOGCRS', 'GEODCRS', 'PROJECTEDCRS', 'GEOGRAPHICCRS', 'GEODETICCRS'])
const isNode = (v: WktValue | undefined): v is WktNode => typeof v === 'object'

// A compound CRS's horizontal part, a bound CRS's source: the 2D CRS the coordinates are in.
function horizontalOf(root: WktNode): WktNode | undefined {
  if (HORIZONTAL.has(root.keyword)) return root
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') return root.args.filter(isNode).find((n) => HORIZONTAL.has(n.keyword))
  if (root.keyword === 'BOUNDCRS') {
    const source = root.args.filter(isNode).find((n) => n.keyword === 'SOURCECRS')
    const inner = source?.args.find(isNode)
    return inner && horizontalOf(inner)
  }
  return undefined
}

// The CRS's own AUTHORITY["EPSG","n"] (WKT 1) or ID["EPSG",n] (WKT 2), never one of a part (datum, unit…).
function ownEpsg(node: WktNode): number | undefined {
  for (const a of node.args) {
    if (!isNode(a) || (a.keyword !== 'AUTHORITY' && a.keyword !== 'ID')) continue
    if (String(a.args[0]).toUpperCase() !== 'EPSG') continue
    const code = Number(a.args[1])
    if (Number.isInteger(code)) return epsgFromName(`EPSG:${code}`)
  }
  return undefined
}

// ESRI's .prj files carry no authority; these are the names they use for the CRSes we meet.
const NAMED: Record<string, number> = {
  gcs_wgs_1984: 4326, wgs_84: 4326, wgs84: 4326, wgs_1984: 4326,
  wgs_1984_web_mercator_auxiliary_sphere: 3857, wgs_1984_web_mercator: 3857, wgs_84_pseudo_mercator: 3857,
  popular_visualisation_crs_mercator: 3857,
  gcs_etrs_1989: 4258, etrs89: 4258, gcs_north_american_1983: 4269, nad83: 4269,
}
const UTM = /^wgs_(?:19)?84_utm_zone_(\d{1,2})([ns])$/

const normalName = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')

/** The EPSG code of a well-known name such as `WGS_1984_UTM_Zone_37N`, or undefined. */
export function epsgFromCrsName(name: string): number | undefined {
  const n = normalName(name)
  const named = NAMED[n]
  if (named !== undefined) return named
  const utm = UTM.exec(n)
  if (utm) {
    const zone = Number(utm[1])
    if (zone >= 1 && zone <= 60) return (utm[2] === 'n' ? 32600 : 32700) + zone
  }
  return undefined
}

/**
 * The EPSG code of a .prj: the CRS's own EPSG authority if it has one, else a well-known ESRI or
 * OGC name. An unreadable or unknown CRS is `crs_unsupported`, naming the CRS.
 *
 * @example
 * epsgFromWkt('PROJCS["WGS_1984_UTM_Zone_37N",GEOGCS["GCS_WGS_1984",…],…]') // 32637
 */
export function epsgFromWkt(wkt: string, where: GeoImportWhere = {}): number {
  let root: WktNode
  try {
    root = parseWkt(wkt.replace(/^\uFEFF/, ''))
  } catch (e) {
    throw new GeoImportError('crs_unsupported', `the CRS is not readable WKT (${(e as Error).message})`, where)
  }
  const crs = horizontalOf(root)
  if (!crs) throw new GeoImportError('crs_unsupported', `a ${root.keyword} is not a CRS features can be placed in`, where)
  const name = typeof crs.args[0] === 'string' ? crs.args[0] : ''
  const epsg = ownEpsg(crs) ?? epsgFromCrsName(name)
  if (epsg === undefined) {
    throw new GeoImportError('crs_unsupported',
      `the CRS ${crs.keyword}["${name}"] has no EPSG code and is not one we recognise; re-export the layer in EPSG:4326, or with a .prj that names its EPSG code`, where)
  }
  return epsg
}
