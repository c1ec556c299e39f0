/** Shared helpers for benchmarks: medians, percentiles, JSON-lines output. */
export function median(xs: number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);

export function emit(line: Record<string, unknown>): void {
  console.log(JSON.stringify(Object.fromEntries(Object.entries(line).map(([k, v]) => [k, round(v)]))));
}
