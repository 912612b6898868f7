// A minimal gateway stand-in on 127.0.0.1: every POST gets the same small JSON
// answer, so both sides of the per-call comparison pay identical server costs.
// Run as a child process (its own event loop and core); prints its port.
// GET /cpu answers this process's CPU time so far, to tell whether a run
// was bound by the client or by the server.
import { createServer } from 'node:http'

const ANSWER = process.argv[2] ?? '{"results":[{"num_iid":"6458532195","title":"bench item","zk_final_price":"9.90"}],"request_id":"bench"}'
const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(ANSWER) }

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/cpu') {
    const usage = process.cpuUsage()
    res.end(JSON.stringify({ micros: usage.user + usage.system }))
    return
  }
  req.resume()
  req.on('end', () => {
    res.writeHead(200, headers)
    res.end(ANSWER)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
// Bounded: the parent kills it; if the parent dies first, stdin closes and so do we.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
