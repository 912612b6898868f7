import { createOrderBook, startEmulator, type Emulator, type OrderBook, type OrderBookOptions } from '@tbkit/emulator'
import { createClient, type NodeTopClient } from '@tbkit/node'
import { afterEach } from 'vitest'

/**
 * Per test: an order book behind the emulator (real HTTP) and a @tbkit/node
 * client on it with quick retries, both closed after the test. `serve()`
 * starts them; `client` and `emulator` are the ones of the running test.
 */
export function useOrderBookGateway(app: { appKey: string; appSecret: string }, options: { maxRetries: number }) {
  let emulator: Emulator | undefined
  let client: NodeTopClient | undefined
  afterEach(async () => {
    await client?.close()
    await emulator?.close()
    client = undefined
    emulator = undefined
  })
  const running = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useOrderBookGateway: call serve() first')
    return value
  }
  return {
    async serve(bookOptions: OrderBookOptions): Promise<OrderBook> {
      const book = createOrderBook(bookOptions)
      emulator = await startEmulator({ apps: [app], orderBook: book })
      client = createClient({ ...app, endpoint: emulator.url, maxRetries: options.maxRetries, retryBaseDelayMs: 1, retryMaxDelayMs: 5 })
      return book
    },
    get client(): NodeTopClient {
      return running(client)
    },
    get emulator(): Emulator {
      return running(emulator)
    },
  }
}
