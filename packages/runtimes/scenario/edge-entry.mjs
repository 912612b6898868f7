// Deno and Bun: the scenario with @tbkit/edge (the runtime's own fetch, FormData and crypto.subtle).
import * as tbkit from '@tbkit/edge'
import { printResults } from './report.mjs'
import { runScenario } from './scenario.mjs'

const runtime = globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `Bun ${globalThis.Bun.version}` : navigator.userAgent
const config = JSON.parse(process.env.TBKIT_RUNTIME_MATRIX)
const results = await runScenario(tbkit, config, { createClient: tbkit.createClient, crypto: tbkit.edgeCrypto() })
printResults(runtime, results)
