// For reference: the same one-shot POST with raw undici.request (what every
// call paid before @tbkit/node started on node:http). Usage: node oneshot-undici.mjs <endpoint> <body>
import { request } from 'undici'

const [endpoint, body] = process.argv.slice(2)
const response = await request(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }, body })
const answer = await response.body.json()
if (answer.request_id !== 'bench') throw new Error('unexpected answer')
