// Small shared pieces for benchmarks: a closed-loop HTTP load generator and statistics.
export type LoadResult = { requests: number; seconds: number; rps: number; p50ms: number; p99ms: number; errors: number }

export const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)

/** `concurrency` clients each issue requests back to back for `seconds`. */
export async function load(url: string, headers: Record<string, string>, seconds: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now()
      const res = await fetch(url, { headers })
      await res.arrayBuffer()
      if (res.status !== 200) errors++
      latencies.push(performance.now() - t)
    }
  }))
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { requests: latencies.length, seconds: elapsed, rps: latencies.length / elapsed, p50ms: quantile(latencies, 0.5), p99ms: quantile(latencies, 0.99), errors }
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits)
