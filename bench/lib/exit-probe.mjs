// Preloaded with `node --import` into a process being timed (with
// BENCH_EXIT_PROBE=1): at exit it writes the process's total CPU time (user +
// system, bootstrap included) to stderr on a marked line, leaving the
// program's own stdout alone. Importing it without the variable does nothing.
export const MARK = '@@bench-exit '
if (process.env.BENCH_EXIT_PROBE === '1') {
  process.on('exit', () => {
    const usage = process.cpuUsage()
    process.stderr.write(`\n${MARK}${JSON.stringify({ cpuMs: (usage.user + usage.system) / 1000 })}\n`)
  })
}
