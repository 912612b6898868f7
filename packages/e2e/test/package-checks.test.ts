import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// scripts/check-packages.mjs (npm run check:packages, part of npm test) must fail on a package
// that would publish broken, not only pass on ours.
const CHECK = fileURLToPath(new URL('../../../scripts/check-packages.mjs', import.meta.url))

function check(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHECK, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

const METADATA = {
  license: 'MIT',
  repository: { type: 'git', url: 'git+https://example.invalid/fixture.git' },
  homepage: 'https://example.invalid/fixture',
  bugs: { url: 'https://example.invalid/fixture/issues' },
}

async function fixture(root: string, name: string, manifest: Record<string, unknown>, files: Record<string, string>): Promise<string> {
  const dir = join(root, name)
  await mkdir(join(dir, 'dist'), { recursive: true })
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', files: ['dist'], ...manifest }, null, 2))
  await writeFile(join(dir, 'LICENSE'), 'MIT License\n')
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text)
  return dir
}

describe('check:packages', { timeout: 120_000 }, () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tbkit-package-checks-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('passes a package whose exports, types and metadata are right', async () => {
    const dir = await fixture(root, 'fixture-good', { ...METADATA, exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }, {
      'dist/index.js': 'export const answer = 42\n',
      'dist/index.d.ts': 'export declare const answer: number\n',
    })
    const result = await check(dir)
    expect(result.output).toContain('fixture-good: publint ok, attw (esm-only) ok')
    expect(result.code).toBe(0)
  })

  it('fails a package whose exports name a types file the tarball lacks', async () => {
    const dir = await fixture(root, 'fixture-no-types', { ...METADATA, exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }, {
      'dist/index.js': 'export const answer = 42\n',
    })
    const result = await check(dir)
    expect(result.output).toMatch(/fixture-no-types: publint FAILED/)
    expect(result.code).toBe(1)
  })

  it('fails a package whose CommonJS entry is typed as ESM', async () => {
    const dir = await fixture(
      root,
      'fixture-masquerading',
      {
        ...METADATA,
        exports: {
          '.': {
            import: { types: './dist/index.d.ts', default: './dist/index.js' },
            require: { types: './dist/index.d.ts', default: './dist/index.cjs' },
          },
        },
      },
      {
        'dist/index.js': 'export const answer = 42\n',
        'dist/index.cjs': 'exports.answer = 42\n',
        'dist/index.d.ts': 'export declare const answer: number\n',
      },
    )
    const result = await check(dir)
    expect(result.output).toMatch(/fixture-masquerading: publint \w+, attw \(strict\) FAILED/)
    expect(result.code).toBe(1)
  })

  it('fails a package.json without repository, homepage or bugs', async () => {
    const dir = await fixture(root, 'fixture-bare', { license: 'MIT', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }, {
      'dist/index.js': 'export const answer = 42\n',
      'dist/index.d.ts': 'export declare const answer: number\n',
    })
    const result = await check(dir)
    expect(result.output).toContain('fixture-bare package.json: no repository.url, no homepage, no bugs.url')
    expect(result.code).toBe(1)
  })
})
