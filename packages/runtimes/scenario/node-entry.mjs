// Node (20, the host, and 22): the scenario with @tbkit/node (undici transport, node:crypto digests).
import * as tbkit from '@tbkit/node'
import { printResults } from './report.mjs'
import { runScenario } from './scenario.mjs'

const config = JSON.parse(process.env.TBKIT_RUNTIME_MATRIX)
const results = await runScenario(tbkit, config, { createClient: tbkit.createClient, crypto: tbkit.nodeCrypto })
printResults(`Node ${process.versions.node}`, results)
