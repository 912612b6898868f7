#!/usr/bin/env node
// The Chinese READMEs say what the English ones say: each pair links both
// ways, has the same sections (## and ### headings, counted) and the same
// commands in its code blocks (comments aside, those are translated). When an
// English README gains a section or a command, this names what to translate.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const PAIRS = [
  ['README.md', 'README.zh-CN.md'],
  ['packages/cli/README.md', 'packages/cli/README.zh-CN.md'],
  ['packages/emulator/README.md', 'packages/emulator/README.zh-CN.md'],
  ['packages/edge/README.md', 'packages/edge/README.zh-CN.md'],
  ['packages/mcp/README.md', 'packages/mcp/README.zh-CN.md'],
  ['packages/sqlite/README.md', 'packages/sqlite/README.zh-CN.md'],
  ['packages/postgres/README.md', 'packages/postgres/README.zh-CN.md'],
  ['packages/otel/README.md', 'packages/otel/README.zh-CN.md'],
]
// The root README's generated API table stays in English only (codegen writes it); its heading is the last one.
const GENERATED_TABLE = /<!-- api-table:start[\s\S]*?<!-- api-table:end -->/

function outline(text) {
  const body = text.replace(GENERATED_TABLE, '')
  const headings = { 2: 0, 3: 0 }
  const commands = []
  let fenced = false
  for (const line of body.split('\n')) {
    if (line.startsWith('```')) {
      fenced = !fenced
      continue
    }
    if (fenced) {
      // A shell command, its trailing `# comment` dropped (translated).
      const command = /^(\$ )?((?:npm|npx|node|tbk|source|echo|export|alias) .*?)(\s+#.*)?$/.exec(line)?.[2]
      if (command) commands.push(command.trim())
    } else {
      const level = /^(#{2,3}) /.exec(line)?.[1].length
      if (level) headings[level]++
    }
  }
  return { headings, commands }
}

const problems = []
for (const [english, chinese] of PAIRS) {
  const en = readFileSync(join(root, english), 'utf8')
  const zh = readFileSync(join(root, chinese), 'utf8')
  const enName = english.split('/').pop()
  const zhName = chinese.split('/').pop()
  if (!en.includes(`(${zhName})`)) problems.push(`${english} does not link ${zhName}`)
  if (!zh.includes(`(${enName})`)) problems.push(`${chinese} does not link ${enName}`)
  const a = outline(en)
  const b = outline(zh)
  for (const level of [2, 3]) {
    if (a.headings[level] !== b.headings[level]) {
      problems.push(`${chinese} has ${b.headings[level]} ${'#'.repeat(level)} headings, ${english} ${a.headings[level]}`)
    }
  }
  const missing = a.commands.filter((command) => !b.commands.includes(command))
  if (missing.length > 0) problems.push(`${chinese} lacks these commands of ${english}: ${missing.join(' | ')}`)
}

if (problems.length > 0) {
  process.stderr.write(`check:translations: translate the English README changes:\n- ${problems.join('\n- ')}\n`)
  process.exitCode = 1
} else {
  process.stdout.write(`check:translations: ${PAIRS.length} Chinese READMEs match their English sections and commands\n`)
}
