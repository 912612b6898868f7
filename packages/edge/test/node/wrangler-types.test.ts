import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_DIR, REPO_ROOT, WRANGLER } from './workers.js'

/**
 * `wrangler types` on a fresh clone of the example: no `.dev.vars` (it is
 * git-ignored), so wrangler cannot learn the secrets from it. The generated
 * `Env` must still let the Worker type-check: the secrets are declared in
 * wrangler.jsonc, and `fromEnv` accepts an `Env` that lacks them anyway.
 */

const run = promisify(execFile)
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc')
const EDGE_TYPES = join(REPO_ROOT, 'packages/edge/dist/index.d.ts')

let clone: string

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), 'tbkit-worker-clone-'))
  // What git would check out: sources and config, no .dev.vars.
  await cp(join(EXAMPLE_DIR, 'src'), join(clone, 'src'), { recursive: true })
  for (const file of ['wrangler.jsonc', 'package.json', '.dev.vars.example']) await cp(join(EXAMPLE_DIR, file), join(clone, file))
})

afterAll(async () => {
  await rm(clone, { recursive: true, force: true })
})

async function wranglerTypes(dir: string, ...args: string[]): Promise<string> {
  await run(process.execPath, [WRANGLER, 'types', ...args], {
    cwd: dir,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
    timeout: 120_000,
  })
  return readFile(join(dir, 'worker-configuration.d.ts'), 'utf8')
}

/**
 * Type-check `files` in `dir`: against the runtime types `wrangler types`
 * generated (no DOM lib, as Cloudflare advises), or as the example's own
 * tsconfig does (`@cloudflare/workers-types`).
 */
async function typecheck(dir: string, files: string[], runtime: 'generated' | 'workers-types'): Promise<{ ok: boolean; output: string }> {
  const tsconfig = {
    extends: join(REPO_ROOT, 'tsconfig.base.json'),
    compilerOptions: {
      ...(runtime === 'generated' ? { lib: ['ES2022'], types: [] } : { types: ['workers-types'] }), typeRoots: [join(REPO_ROOT, 'node_modules/@types'), join(REPO_ROOT, 'node_modules/@cloudflare')], noEmit: true, baseUrl: '.', paths: { '@tbkit/edge': [EDGE_TYPES] } },
    include: files,
  }
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig))
  try {
    await run(process.execPath, [TSC, '-p', dir], { timeout: 120_000 })
    return { ok: true, output: '' }
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) }
  }
}

const CHECK = `
import { durableLimiter, fromEnv } from '@tbkit/edge'
export function worker(env: Env, ctx: ExecutionContext) {
  return { client: fromEnv(env, { ctx }), limiter: durableLimiter(env.TBK_LIMITER) }
}
`

describe('wrangler types on a fresh clone of the example (no .dev.vars)', () => {
  it('generates an Env with the secret, and the Worker type-checks against it', async () => {
    expect(await readdir(clone)).not.toContain('.dev.vars')
    const generated = await wranglerTypes(clone)
    const env = /interface Env \{([\s\S]*?)\n\t\}/.exec(generated)?.[1] ?? ''
    expect(env).toMatch(/TBK_APP_SECRET: string;/)
    expect(env).toMatch(/TBK_LIMITER: DurableObjectNamespace/)
    await writeFile(join(clone, 'check.ts'), `${CHECK}\nexport const secret: string = ({} as Env).TBK_APP_SECRET\n`)
    const result = await typecheck(clone, ['worker-configuration.d.ts', 'src', 'check.ts'], 'generated')
    expect(result.output).toBe('')
    expect(result.ok).toBe(true)
  }, 120_000)

  it('fromEnv accepts the Env wrangler generates even without the secrets declared', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'tbkit-worker-bare-'))
    try {
      await cp(join(clone, 'src'), join(bare, 'src'), { recursive: true })
      const config = (await readFile(join(EXAMPLE_DIR, 'wrangler.jsonc'), 'utf8')).replace(/^\s*"secrets":.*$/m, '')
      expect(config).not.toContain('"secrets"')
      await writeFile(join(bare, 'wrangler.jsonc'), config)
      const generated = await wranglerTypes(bare, '--include-runtime=false')
      expect(generated).not.toContain('TBK_APP_SECRET')
      await writeFile(join(bare, 'check.ts'), CHECK)
      const result = await typecheck(bare, ['worker-configuration.d.ts', 'check.ts'], 'workers-types')
      expect(result.output).toBe('')
      expect(result.ok).toBe(true)
    } finally {
      await rm(bare, { recursive: true, force: true })
    }
  }, 120_000)
})
