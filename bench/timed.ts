// A generation step's duration: recorded for the report and printed as it ends, so a long run shows progress.
export async function timed<T>(timings: [string, number][], label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  const s = (performance.now() - t0) / 1000;
  timings.push([label, s]);
  process.stdout.write(`  ${label}: ${s.toFixed(1)} s\n`);
  return r;
}
