// 7. One-shot processes (import, one call, exit: every `tbk` command, a cron
// job, a serverless function): `@tbkit/node` and `tbk call` against a plain
// node:http script sending the same POST, each a fresh process posting to one
// minimal local server (its own process). Wall time spawn to exit and peak
// RSS, medians of interleaved spawns; raw undici.request one-shot for reference.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createClient } from '@tbkit/node'
import { runNode, startChild } from '../lib/child.mjs'
import { MARK } from '../lib/oneshot-probe.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot, REPO_ROOT } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const PROBE = pathToFileURL(fromRoot('bench/lib/oneshot-probe.mjs')).href
const TBK = fromRoot('packages/cli/dist/tbk.js')
const METHOD = 'taobao.tbk.item.info.get'

/** { wallMs, cpuMs, peakRssMb } of one whole process. */
async function oneShot(args, env) {
  const { stderr, ms } = await runNode(['--import', PROBE, ...args], { cwd: REPO_ROOT, env: { ...env, BENCH_ONESHOT_PROBE: '1' }, timeoutMs: 60_000 })
  const line = stderr.split('\n').find((l) => l.startsWith(MARK))
  if (!line) throw new Error(`no figures from ${args.join(' ')}: ${stderr.slice(-500)}`)
  const { cpuMs, peakRssKb } = JSON.parse(line.slice(MARK.length))
  return { wallMs: ms, cpuMs, peakRssMb: peakRssKb / 1024 }
}

await runSection(async (options) => {
  const server = await startChild(fromRoot('bench/lib/fixed-answer-server.mjs'))
  const endpoint = `http://127.0.0.1:${server.line}/router/rest`
  const home = mkdtempSync(join(tmpdir(), 'tbkit-bench-home-'))
  try {
    // The baseline posts exactly what tbkit sends.
    const client = createClient({ appKey: '34567890', appSecret: 'bench-secret', endpoint, proxy: false })
    const prepared = await client.prepareRequest(METHOD, { num_iids: '6458532195' })
    await client.close()
    const body = new URLSearchParams(prepared.fields).toString()
    const env = { ...process.env, HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' }
    // No profile file: tbk reads its settings from the environment, as in CI or cron.
    const tbkEnv = { ...env, HOME: home, XDG_CONFIG_HOME: home, TBK_APP_KEY: '34567890', TBK_APP_SECRET: 'bench-secret', TBK_ENDPOINT: endpoint }
    const cases = {
      'node:http script': () => oneShot([fromRoot('bench/lib/oneshot-node-http.mjs'), endpoint, body], env),
      '@tbkit/node': () => oneShot([fromRoot('bench/lib/oneshot-tbkit.mjs'), endpoint], env),
      'tbk call': () => oneShot([TBK, 'call', METHOD, 'num_iids=6458532195', '-o', 'json'], tbkEnv),
      'raw undici.request': () => oneShot([fromRoot('bench/lib/oneshot-undici.mjs'), endpoint, body], env),
    }
    const spawns = pick(options, { full: 21, quick: 7 })
    const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
    for (let i = 0; i < spawns; i++) {
      if (i % 5 === 0) progress(`one-shot: spawn round ${i + 1}/${spawns}`)
      // Each round starts with the next case, so drift in machine load hits every case alike.
      const order = Object.entries(cases)
      for (let k = 0; k < order.length; k++) {
        const [name, run] = order[(i + k) % order.length]
        samples[name].push(await run())
      }
    }
    const stat = (name, key) => median(samples[name].map((s) => s[key]))
    // Ratios within each round (the cases ran back to back), then the median.
    const ratio = (name, key) => median(samples[name].map((s, i) => s[key] / samples['node:http script'][i][key]))
    const base = { wallMs: stat('node:http script', 'wallMs'), cpuMs: stat('node:http script', 'cpuMs'), peakRssMb: stat('node:http script', 'peakRssMb') }
    const wallRow = (name, label, note) => {
      const r = ratio(name, 'wallMs')
      return {
        name: `${label}, wall time`,
        subject: name,
        value: round(stat(name, 'wallMs'), 1),
        unit: 'ms',
        baseline: 'node:http script',
        baselineValue: round(base.wallMs, 1),
        ratio: round(r, 2),
        ratioText: `${r.toFixed(2)}× the time`,
        target: { text: '≤ 1.5×', met: r <= 1.5 },
        note,
      }
    }
    const rssRow = (name, label, target) => {
      const r = ratio(name, 'peakRssMb')
      return {
        name: `${label}, peak RSS`,
        subject: name,
        value: round(stat(name, 'peakRssMb'), 1),
        unit: 'MB',
        baseline: 'node:http script',
        baselineValue: round(base.peakRssMb, 1),
        ratio: round(r, 2),
        ratioText: `${r.toFixed(2)}× the memory`,
        ...(target ? { target: { text: '≤ 1.3×', met: r <= 1.3 } } : {}),
      }
    }
    const cpu = (name) => `CPU ${stat(name, 'cpuMs').toFixed(0)} ms vs ${base.cpuMs.toFixed(0)} ms`
    const rows = [
      wallRow('@tbkit/node', '@tbkit/node one-shot (import, createClient, one call, exit)', `${cpu('@tbkit/node')}; the call goes out over node:http, undici is never loaded`),
      rssRow('@tbkit/node', '@tbkit/node one-shot', true),
      wallRow('tbk call', 'tbk call one-shot', `${cpu('tbk call')}; peak RSS ${stat('tbk call', 'peakRssMb').toFixed(1)} MB (${ratio('tbk call', 'peakRssMb').toFixed(2)}×)`),
      {
        ...wallRow('raw undici.request', 'raw undici.request one-shot (reference)', `${cpu('raw undici.request')}; peak RSS ${stat('raw undici.request', 'peakRssMb').toFixed(1)} MB (${ratio('raw undici.request', 'peakRssMb').toFixed(2)}×): loading undici and compiling its WebAssembly parser`),
        target: undefined,
      },
    ]
    return {
      id: 'oneshot',
      title: 'One-shot processes',
      compares:
        'a fresh process that imports, makes one call and exits, against a plain node:http script posting the same signed body: wall time from spawn to exit and peak RSS (the kernel high-water mark), medians of interleaved spawns, ratios taken within each round.',
      rows,
      details: {
        spawns,
        median: Object.fromEntries(Object.keys(cases).map((name) => [name, { wallMs: round(stat(name, 'wallMs'), 1), cpuMs: round(stat(name, 'cpuMs'), 1), peakRssMb: round(stat(name, 'peakRssMb'), 1) }])),
        samples: Object.fromEntries(Object.entries(samples).map(([name, runs]) => [name, runs.map((s) => [round(s.wallMs, 1), round(s.peakRssMb, 1)])])),
      },
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
    await server.stop()
  }
})
