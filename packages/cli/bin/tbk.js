#!/usr/bin/env node
// `tbk`'s bin, committed so that it exists when `npm ci` runs: npm links a
// workspace's bin only if its target exists at install time, and dist/ is
// built later. It loads the build.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/tbk.js', import.meta.url)
if (existsSync(entry)) {
  await import(entry.href)
} else {
  process.stderr.write('tbk is not built yet: run `npm run build` (or `npm start`) at the repository root first\n')
  process.exitCode = 1
}
