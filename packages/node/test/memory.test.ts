import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../scripts/upload-memory.mjs', import.meta.url))
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url))

describe('large uploads', () => {
  it('a 100 MB file upload adds well under 100 MB of RSS (it is streamed, not read whole)', async () => {
    expect(existsSync(built), 'build @tbkit/node first (npx tsup)').toBe(true)
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', script, '100'], { timeout: 180_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      )
    })
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!)
    expect(report.gcExposed).toBe(true)
    expect(report.receivedBytes).toBeGreaterThan(100 * 1024 * 1024)
    expect(report.rssGrowthMb).toBeLessThan(100)
  }, 200_000)
})
