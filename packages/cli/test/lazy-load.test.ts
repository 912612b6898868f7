import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TBK } from './helpers.js'

/** Files reachable from `entry` through static imports (what Node loads before any dynamic import()). */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const code = readFileSync(file, 'utf8')
    // Static import/export-from statements only; import("…") calls are lazy.
    for (const match of code.matchAll(/^(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm)) {
      const specifier = (match[1] ?? match[2])!
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier))
      else packages.add(specifier)
    }
  }
  visit(entry)
  return { files: [...files], packages: [...packages] }
}

describe('startup', () => {
  it('tbk --version loads no SDK package: @tbkit/node, undici, the catalog and the emulator load with the command that needs them', () => {
    const { files, packages } = staticGraph(TBK)
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([])
    expect(files.length).toBeLessThanOrEqual(6)
    const dynamic = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/import\(["']([^"']+)["']\)/g)].map((m) => m[1]))
    // Every command is its own lazily imported chunk.
    expect(dynamic.length).toBeGreaterThanOrEqual(9)
  })
})
