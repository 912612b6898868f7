import { readFileSync } from 'node:fs'

export interface WranglerConfig {
  name: string
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  vars?: Record<string, string>
}

/** Read a wrangler.jsonc: JSON with comments (strings kept intact, `https://` included). */
export function readWranglerConfig(path: string): WranglerConfig {
  const text = readFileSync(path, 'utf8').replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_, string) => string ?? '')
  return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')) as WranglerConfig
}
