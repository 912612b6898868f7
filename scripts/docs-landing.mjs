#!/usr/bin/env node
// The API reference's landing page (typedoc.json "readme"): the README's
// introduction and its package table, taken from README.md at build time so
// the two never disagree, plus where to start in each package.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const LANDING = join(root, 'docs', 'api-landing.generated.md')

const readme = readFileSync(join(root, 'README.md'), 'utf8')
/** The text of a `## heading` section (without the heading). */
function section(heading) {
  const start = readme.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`docs-landing: README.md has no "## ${heading}" section`)
  const body = readme.slice(start + heading.length + 5)
  const end = body.indexOf('\n## ')
  return (end < 0 ? body : body.slice(0, end)).trim()
}
const intro = readme.slice(readme.indexOf('\n') + 1, readme.indexOf('\n## ')).trim()
// README links are relative to the repository; from the reference they go to GitHub.
const packages = section('Packages').replace(/\]\((packages\/[^)]+)\)/g, '](https://github.com/tbkit/tbkit/tree/main/$1)')

const text = `# tbkit API reference

${intro}

## Packages

${packages}

## Where to start

- **Node.js** — \`createClient\` in **@tbkit/node**: \`client.call(method, params)\` for catalog methods (typed per
  method: \`TopApiMap\` in **@tbkit/core**), \`client.callUntyped\` for others, \`paginate\`, \`batch\`, sessions.
- **Cloudflare Workers** — \`createClient\` and \`fromEnv\` in **@tbkit/edge**; \`durableLimiter\` and \`edgeCache\` share the
  app's quota and reads across isolates.
- **A fleet of Node services** — \`redisLimiter\` and \`redisCache\` in **@tbkit/redis**, passed as \`limiter\` / \`cache\`.
- **Errors** — every failure is a \`TopError\` from **@tbkit/core**; \`TopApiError.explanation\` and \`explainError\`
  say what a gateway code means and what to do.
- **Tests and demos offline** — \`startEmulator\` in **@tbkit/emulator** (\`demo: true\` answers every catalog method).
- **AI agents** — \`createTbkMcpServer\` in **@tbkit/mcp**.
- **Order sync, links, 淘口令** — \`syncOrders\`, \`extractLinks\`, \`parseTpwd\`, \`convertShareText\` in **@tbkit/core**.

How the packages fit together: [docs/ARCHITECTURE.md](https://github.com/tbkit/tbkit/blob/main/docs/ARCHITECTURE.md).
`
writeFileSync(LANDING, text)
