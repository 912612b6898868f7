import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EDGE_VERSION } from '../../src/version.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const pkg = JSON.parse(read('package.json')) as {
  version: string
  sideEffects: boolean
  exports: Record<string, Record<string, Record<string, string>>>
}

describe('package', () => {
  it('names its own version in the User-Agent', () => {
    expect(EDGE_VERSION).toBe(pkg.version)
  })

  it('resolves the workerd build under the workerd condition, the edge ESM build under worker and import, types first', () => {
    const root = pkg.exports['.']!
    // workerd (what wrangler asks for) has MD5 in crypto.subtle: its build carries no portable MD5.
    expect(root.workerd).toEqual({ types: './dist/index.d.ts', default: './dist/workerd.js' })
    for (const condition of ['worker', 'import']) {
      expect(root[condition], condition).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' })
    }
    for (const condition of ['workerd', 'worker', 'import']) expect(Object.keys(root[condition]!)[0]).toBe('types')
    expect(root.require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' })
    // Runtime conditions must come before the generic ones, or they never match.
    const order = Object.keys(root)
    expect(order.indexOf('workerd')).toBeLessThan(order.indexOf('import'))
    expect(order.indexOf('worker')).toBeLessThan(order.indexOf('import'))
    expect(pkg.sideEffects).toBe(false)
  })

  it('exports the D1 ledger store at ./d1, with a d1/package.json for node10 resolution', () => {
    expect(pkg.exports['./d1']).toEqual({
      import: { types: './dist/d1.d.ts', default: './dist/d1.js' },
      require: { types: './dist/d1.d.cts', default: './dist/d1.cjs' },
    })
    expect(JSON.parse(read('d1/package.json'))).toMatchObject({ main: '../dist/d1.cjs', module: '../dist/d1.js', types: '../dist/d1.d.cts' })
    for (const file of ['dist/d1.js', 'dist/d1.cjs']) expect(read(file), file).not.toMatch(/["']node:|require\(["'](crypto|fs|http|https|buffer|stream|zlib|path|url|util)["']\)/)
  })

  it('builds to ESM and CJS with no Node built-in import', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/workerd.js']) {
      const code = read(file)
      expect(code, file).toContain('tbkit-edge/')
      expect(code, file).not.toMatch(/["']node:|require\(["'](crypto|fs|http|https|buffer|stream|zlib|path|url|util)["']\)/)
    }
  })
})
