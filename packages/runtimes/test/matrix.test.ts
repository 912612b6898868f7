import { readFileSync, realpathSync } from 'node:fs'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIGN_METHODS, SLOW_METHOD } from '../scenario/scenario.mjs'
import { binaries, expectEveryRuntime, pinnedVersion } from './binaries.js'
import { printMatrix } from './matrix-report.js'
import { runProcess, runWorkerd, scenarioFile, type RuntimeRun } from './run-runtime.js'

const APP = { appKey: '12345678', appSecret: 'matrix-secret-3e7a51', sessions: ['matrix-session-0c42'] }
const vectors = JSON.parse(readFileSync(new URL('../../core/test/fixtures/signing-vectors.json', import.meta.url), 'utf8')) as unknown[]

const emulator = useEmulator({ apps: [APP] })

const CHECKS = ['signing vectors', 'urlencoded call', 'multipart upload', 'timeout', 'abort'] as const

interface Runtime {
  name: string
  /** Undefined when this platform has no package for it. */
  run: (() => Promise<RuntimeRun>) | undefined
  /** The package it imports tbkit from. */
  via: string
}

const config = () => ({ endpoint: emulator.url, appKey: APP.appKey, appSecret: APP.appSecret, session: APP.sessions[0], vectors })
const NODE_ENTRY = scenarioFile('node-entry.mjs')
const EDGE_ENTRY = scenarioFile('edge-entry.mjs')

const runtimes: Runtime[] = [
  { name: 'Node (host)', via: '@tbkit/node', run: () => runProcess(process.execPath, [NODE_ENTRY], config()) },
  ...(['node22', 'node24', 'node26'] as const).map((id) => ({
    name: `Node ${id.slice(4)}`,
    via: '@tbkit/node',
    run: binaries[id] ? () => runProcess(binaries[id]!, [NODE_ENTRY], config()) : undefined,
  })),
  {
    name: 'Deno',
    via: '@tbkit/edge',
    run: binaries.deno
      ? () =>
          runProcess(
            binaries.deno!,
            // manual: resolve @tbkit/* through the npm workspace's node_modules, as installed.
            ['run', '--node-modules-dir=manual', '--no-lock', '--allow-env=TBKIT_RUNTIME_MATRIX', '--allow-net=127.0.0.1', EDGE_ENTRY],
            config(),
          )
      : undefined,
  },
  { name: 'Bun', via: '@tbkit/edge', run: binaries.bun ? () => runProcess(binaries.bun!, [EDGE_ENTRY], config()) : undefined },
  { name: 'workerd', via: '@tbkit/edge', run: () => runWorkerd(config()) },
]

const runs = new Map<string, RuntimeRun | Error>()
// The emulator's recording is cleared after each test; kept here as the runs left it.
let recorded: typeof emulator.requests = []

beforeAll(async () => {
  // What the scenario's calls reach, besides the emulator's own checks (signature first).
  emulator.handle('taobao.tbk.tpwd.create', ({ params }) => ({ data: { model: params.text, password_simple: params.url } }))
  emulator.handle('taobao.tbk.sc.pic.embed', ({ params, files }) => ({
    data: { sha256: files.pic_stream?.sha256, size: files.pic_stream?.size, item_id: params.item_id },
  }))
  emulator.handle(
    SLOW_METHOD,
    ({ params }) =>
      new Promise((resolve) => {
        const ms = Math.min(Number(params.ms) || 0, 5000)
        setTimeout(() => resolve({ slept_ms: ms }), ms).unref()
      }),
  )
  // All at once: each mostly waits on start-up and on the slow answers.
  await Promise.all(
    runtimes.map(async (runtime) => {
      if (!runtime.run) return
      runs.set(runtime.name, await runtime.run().catch((error: Error) => error))
    }),
  )
  recorded = [...emulator.requests]
})

afterAll(() => {
  printMatrix(runtimes.map((r) => ({ name: r.name, via: r.via, run: runs.get(r.name) })), CHECKS, SIGN_METHODS)
})

for (const runtime of runtimes) {
  describe(`${runtime.name} with ${runtime.via}`, () => {
    const absent = runtime.run === undefined
    // On linux x64 (CI) every runtime's package installs; elsewhere one may have no package.
    it.skipIf(absent && !expectEveryRuntime)('ran the scenario', () => {
      expect(runtime.run, `no binary for ${runtime.name} on ${process.platform}-${process.arch}`).toBeDefined()
      const run = runs.get(runtime.name)
      if (run instanceof Error) throw run
      expect(run?.results.length).toBe(CHECKS.length * SIGN_METHODS.length)
    })
    for (const signMethod of SIGN_METHODS) {
      for (const check of CHECKS) {
        it.skipIf(absent)(`${check}, sign method ${signMethod}`, () => {
          const run = runs.get(runtime.name)
          if (run instanceof Error) throw run
          const result = run?.results.find((r) => r.check === check && r.signMethod === signMethod)
          expect(result, 'no result').toBeDefined()
          expect(result!.ok, result!.detail).toBe(true)
        })
      }
    }
  })
}

describe('the matrix itself', () => {
  it("runs on the developer's (CI's: Node 20) Node; each fetched Node runs only as its own row, at its pinned version", () => {
    for (const id of ['node22', 'node24', 'node26'] as const) {
      if (binaries[id]) expect(realpathSync(process.execPath)).not.toBe(realpathSync(binaries[id]!))
      const run = runs.get(`Node ${id.slice(4)}`)
      if (run && !(run instanceof Error)) expect(run.runtime).toBe(`Node ${pinnedVersion(id)}`)
    }
    if (process.env.CI) expect(process.versions.node.split('.')[0]).toBe('20')
    const host = runs.get('Node (host)')
    if (host && !(host instanceof Error)) expect(host.runtime).toBe(`Node ${process.versions.node}`)
  })

  it('sent every call through the emulator, signed with each sign method', () => {
    const sent = recorded.filter((r) => r.method === 'taobao.tbk.tpwd.create' || r.method === 'taobao.tbk.sc.pic.embed')
    const ran = [...runs.values()].filter((r) => !(r instanceof Error)).length
    // one urlencoded call and one upload per sign method per runtime that ran
    expect(sent.length).toBe(ran * SIGN_METHODS.length * 2)
    expect(sent.every((r) => r.outcome === 'ok')).toBe(true)
    const methods = new Set(sent.map((r) => r.params.sign_method?.value))
    expect(methods).toEqual(new Set(SIGN_METHODS))
    // the uploads went out as multipart file parts
    const uploads = sent.filter((r) => r.method === 'taobao.tbk.sc.pic.embed')
    expect(uploads.every((r) => r.files.pic_stream?.size === 64 * 1024 && r.params.pic_stream === undefined)).toBe(true)
  })
})
