// A one-shot @tbkit/node process: import, make a client, one call (validate,
// sign, send, decode), exit. Usage: node oneshot-tbkit.mjs <endpoint>
import { createClient } from '@tbkit/node'

const client = createClient({ appKey: '34567890', appSecret: 'bench-secret', endpoint: process.argv[2], proxy: false })
const answer = await client.call('taobao.tbk.item.info.get', { num_iids: '6458532195' })
if (answer.request_id !== 'bench') throw new Error('unexpected answer')
