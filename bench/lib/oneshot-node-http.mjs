// The baseline one-shot process: a plain node:http script posting the body
// tbkit would send (argv: endpoint, url-encoded body) and reading the JSON
// answer, then exiting. Usage: node oneshot-node-http.mjs <endpoint> <body>
import { request } from 'node:http'

const [endpoint, body] = process.argv.slice(2)
const headers = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', 'content-length': Buffer.byteLength(body), 'accept-encoding': 'gzip' }
const answer = await new Promise((resolve, reject) => {
  const outgoing = request(endpoint, { method: 'POST', headers }, (res) => {
    const chunks = []
    res.on('data', (chunk) => chunks.push(chunk))
    res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
    res.on('error', reject)
  })
  outgoing.on('error', reject)
  outgoing.end(body)
})
if (answer.request_id !== 'bench') throw new Error('unexpected answer')
