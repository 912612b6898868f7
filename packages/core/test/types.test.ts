import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const TSC = createRequire(import.meta.url).resolve('typescript/lib/tsc.js')
const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

/** Runs tsc on a project; returns its diagnostics, or '' when it compiles. */
function compile(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '-p', project, '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    return `${stdout ?? ''}${stderr ?? ''}` || String(error)
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'tbkit-types-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('generated types', () => {
  // test/types/*.ts mark every call that must not compile with @ts-expect-error;
  // tsc rejects an unused one, so a clean compile proves both directions.
  it('accept right params and reject wrong ones (test/types fixtures)', () => {
    expect(compile(join(PACKAGE, 'test', 'types'))).toBe('')
  }, 120_000)

  it('fail the check when a wrong call is not an error (the harness can fail)', () => {
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ extends: join(PACKAGE, '..', '..', 'tsconfig.base.json'), compilerOptions: { types: [], noEmit: true }, include: ['*.ts'] }),
    )
    writeFileSync(
      join(scratch, 'wrong.ts'),
      [
        `import type { TopClient } from ${JSON.stringify(join(PACKAGE, 'src', 'index.js'))}`,
        'declare const client: TopClient',
        'export async function f(): Promise<void> {',
        '  // @ts-expect-error claims a valid call is wrong',
        "  await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' })",
        "  await client.call('taobao.tbk.tpwd.create', { url: 'x', not_a_param: 1 })",
        '}',
      ].join('\n'),
    )
    const output = compile(scratch)
    expect(output).toMatch(/TS2578/)
    expect(output).toMatch(/not_a_param/)
  }, 120_000)
})
