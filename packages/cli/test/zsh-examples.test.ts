import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, statSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { tbk } from './helpers.js'

// Every `tbk` example line of the READMEs and of `--help` must run as written
// in zsh (macOS's default shell), where an unquoted `?`, `*` or `[` is a glob
// that fails with "no matches found". Each line runs in zsh and in bash with
// a stub `tbk` that records its argv: zsh must succeed quietly and hand tbk
// the very same arguments bash does (issue 26, item 1). CI installs zsh.

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const hasZsh = spawnSync('zsh', ['-fc', 'true']).status === 0

function readmes(): string[] {
  const dirs = [REPO, join(REPO, 'examples'), ...['packages', 'examples'].flatMap((d) => readdirSync(join(REPO, d)).map((name) => join(REPO, d, name)))].filter((dir) => statSync(dir).isDirectory())
  return dirs.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => /^README.*\.md$/.test(f)).map((f) => join(dir, f)) : []))
}

/** `tbk …` lines (continuations joined) of a text: in fenced blocks of a README, or under `Examples:` in --help. */
export function exampleLines(text: string, fencedOnly: boolean): string[] {
  const lines = text.split('\n')
  const out: string[] = []
  let fenced = false
  let examples = false
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i]!)) {
      fenced = !fenced
      continue
    }
    if (/^Examples?:/.test(lines[i]!)) examples = true
    else if (/^\S/.test(lines[i]!)) examples = false
    if (fencedOnly ? !fenced : !examples) continue
    const match = /^\s*(?:\$ )?(tbk (?:.*))$/.exec(lines[i]!)
    if (!match) continue
    let line = match[1]!
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`
    out.push(line)
  }
  return out
}

const work = mkdtempSync(join(tmpdir(), 'tbk-zsh-'))
// Where examples write completion scripts and exports (HOME is this directory).
for (const dir of ['.config/fish/completions', '.zfunc', '.local/share/bash-completion/completions']) mkdirSync(join(work, dir), { recursive: true })
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Run one line in a shell with a stub tbk; other commands (jq, …) succeed doing nothing. */
function runIn(shell: 'zsh' | 'bash', line: string, n: number): { status: number | null; stderr: string; argv: string } {
  const log = join(work, `${shell}-${n}.argv`)
  const stub = `tbk() { for a in "$@"; do printf '%s\\037' "$a" >> "${log}"; done; printf '\\n' >> "${log}"; }`
  const notFound = shell === 'zsh' ? 'command_not_found_handler() { return 0; }' : 'command_not_found_handle() { return 0; }'
  const args = shell === 'zsh' ? ['-f', '-c', `${stub}\n${notFound}\n${line}`] : ['--norc', '--noprofile', '-c', `${stub}\n${notFound}\n${line}`]
  const result = spawnSync(shell, args, { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work }, input: '', timeout: 10_000 })
  const argv = existsSync(log) ? readFileSync(log, 'utf8') : ''
  return { status: result.status, stderr: result.stderr, argv }
}

describe('tbk example lines in zsh', () => {
  it.skipIf(!hasZsh && !process.env.CI)('README examples run in zsh with the arguments bash gives', () => {
    expect(hasZsh, 'zsh is not installed (.ci/run installs it)').toBe(true)
    const lines = readmes().flatMap((file) => exampleLines(readFileSync(file, 'utf8'), true).map((line) => ({ file, line })))
    expect(lines.length).toBeGreaterThan(40)
    const failures: string[] = []
    lines.forEach(({ file, line }, n) => {
      const zsh = runIn('zsh', line, n)
      const bash = runIn('bash', line, n)
      if (zsh.status !== 0 || zsh.stderr !== '' || zsh.argv !== bash.argv) failures.push(`${file.slice(REPO.length + 1)}: ${line}\n    ${zsh.stderr.trim() || 'argv differs from bash'}`)
    })
    expect(failures, failures.join('\n')).toEqual([])
  })

  it.skipIf(!hasZsh && !process.env.CI)('--help examples run in zsh with the arguments bash gives', async () => {
    expect(hasZsh, 'zsh is not installed (.ci/run installs it)').toBe(true)
    const top = await tbk(['--help'])
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!)
    expect(commands.length).toBeGreaterThan(8)
    const helps = [top.stdout, ...(await Promise.all(commands.map(async (c) => (await tbk([c, '--help'])).stdout)))]
    const lines = helps.flatMap((text) => exampleLines(text, false))
    expect(lines.length).toBeGreaterThan(20)
    const failures: string[] = []
    lines.forEach((line, n) => {
      const zsh = runIn('zsh', line, 10_000 + n)
      const bash = runIn('bash', line, 10_000 + n)
      if (zsh.status !== 0 || zsh.stderr !== '' || zsh.argv !== bash.argv) failures.push(`${line}\n    ${zsh.stderr.trim() || 'argv differs from bash'}`)
    })
    expect(failures, failures.join('\n')).toEqual([])
  }, 120_000)

  it('the check itself catches an unquoted ? (zsh: no matches found)', () => {
    if (!hasZsh) return
    const bad = runIn('zsh', 'tbk call taobao.tbk.tpwd.create url=https://s.click.taobao.com/t?e=abc', 99_999)
    expect(bad.stderr).toMatch(/no matches found/)
    const good = runIn('zsh', "tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc'", 99_998)
    expect(good.stderr).toBe('')
    expect(good.argv).toBe('call\u001ftaobao.tbk.tpwd.create\u001furl=https://s.click.taobao.com/t?e=abc\u001f\n')
  })
})

