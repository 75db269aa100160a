// Instants in forms. Truce records every instant in UTC, so date-time inputs are read and
// written in UTC too (and labelled so), whatever the reader's own time zone is.

/** An ISO instant as the value of an <input type="datetime-local">, in UTC, to the minute. */
export function toUtcInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16)
}

/** The value of a datetime-local input, read as UTC, as an ISO instant ending in Z; null if empty or unreadable. */
export function fromUtcInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null
  const d = new Date(`${value.length === 16 ? `${value}:00` : value}Z`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

export const nowUtcInput = (): string => new Date().toISOString().slice(0, 16)
