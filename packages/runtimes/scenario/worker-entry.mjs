// workerd: a Worker that runs the scenario with @tbkit/edge when the test sends it the config.
import * as tbkit from '@tbkit/edge'
import { runScenario } from './scenario.mjs'

export default {
  async fetch(request) {
    const config = await request.json()
    const results = await runScenario(tbkit, config, { createClient: tbkit.createClient, crypto: tbkit.edgeCrypto() })
    return Response.json({ runtime: navigator.userAgent, results })
  },
}
