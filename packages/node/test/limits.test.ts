import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { TopTransportError } from '@tbkit/core'
import type { NodeTopClient } from '../src/index.js'
import { createClient } from './helpers/transport-under-test.js'
import { startServer, type TestServer } from './helpers/http-server.js'
import { MAX_ANSWER_BYTES } from '../src/decode-body.js'

let server: TestServer | undefined
let client: NodeTopClient | undefined

afterEach(async () => {
  await client?.close()
  await server?.close()
})

describe('answer size limits', () => {
  it('refuses a decompression bomb without retrying it', async () => {
    // A few hundred KB of gzip that would inflate past the cap.
    const bomb = gzipSync(Buffer.alloc(MAX_ANSWER_BYTES + 1024, 0x20))
    server = await startServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(bomb)
    })
    client = createClient({ appKey: 'k', appSecret: 's', endpoint: server.endpoint, proxy: false, retryBaseDelayMs: 1 })
    const error = await client.call('taobao.tbk.item.info.get', { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'decode', retryable: false, method: 'taobao.tbk.item.info.get' })
    expect(server.requests).toHaveLength(1)
  })

  it('stops reading an endless body at the cap', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    server = await startServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      let sent = 0
      const push = (): void => {
        while (sent <= MAX_ANSWER_BYTES + chunk.length) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', push)
        }
        res.end()
      }
      res.on('error', () => {})
      push()
    })
    client = createClient({ appKey: 'k', appSecret: 's', endpoint: server.endpoint, proxy: false, maxRetries: 0 })
    const error = await client.call('taobao.tbk.item.info.get', { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'decode', retryable: false })
    expect((error as Error).message).toMatch(/exceeds/)
  })
})
