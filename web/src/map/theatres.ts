// Where the map looks for an agreement's theatre. The two demo theatres have hand-set views
// (framing the contact lines rather than the whole country); any other theatre that names a
// Natural Earth country is framed by that country's bounds; anything else gets the world.
export type View = { center: [number, number]; zoom: number }

export type TheatreView =
  | { kind: 'view'; view: View; countries: string[] }
  | { kind: 'country'; country: string; countries: string[] }
  | { kind: 'world'; view: View; countries: string[] }

export const WORLD_VIEW: View = { center: [20, 25], zoom: 1.2 }

const PRESETS: Readonly<Record<string, { view: View; countries: string[] }>> = {
  syria: { view: { center: [38.5, 35.0], zoom: 5.5 }, countries: ['Syria'] },
  ukraine: { view: { center: [31.5, 48.5], zoom: 4.5 }, countries: ['Ukraine'] },
}

export function theatreView(theatre: string | null | undefined, canonicalCountry: (name: string) => string | null): TheatreView {
  const key = (theatre ?? '').trim().toLowerCase()
  if (key === '') return { kind: 'world', view: WORLD_VIEW, countries: [] }
  const preset = PRESETS[key]
  if (preset) return { kind: 'view', view: preset.view, countries: preset.countries }
  const country = canonicalCountry(key)
  if (country) return { kind: 'country', country, countries: [country] }
  return { kind: 'world', view: WORLD_VIEW, countries: [] }
}
