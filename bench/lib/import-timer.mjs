// Child-process probe: time one dynamic import inside a fresh process and
// print {"wallMs","cpuMs"} (CPU = this process's user + system time, which
// machine load does not inflate). Usage: node import-timer.mjs <specifier>
const specifier = process.argv[2]
const cpu = process.cpuUsage()
const started = performance.now()
await import(specifier)
const wallMs = performance.now() - started
const used = process.cpuUsage(cpu)
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 })}\n`)
