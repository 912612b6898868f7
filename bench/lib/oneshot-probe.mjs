// Preloaded with `node --import` into a one-shot process being timed (with
// BENCH_ONESHOT_PROBE=1): at exit it writes the process's CPU time (user +
// system, bootstrap included) and peak RSS (the kernel's high-water mark, so
// nothing between samples is missed) to stderr on a marked line.
export const MARK = '@@bench-oneshot '
if (process.env.BENCH_ONESHOT_PROBE === '1') {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000
    process.stderr.write(`\n${MARK}${JSON.stringify({ cpuMs, peakRssKb: usage.maxRSS })}\n`)
  })
}
