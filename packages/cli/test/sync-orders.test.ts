import { parseTimestamp, syncOrderPages, syncOrders, TopRemoteError, type OrderSyncCheckpoint } from '@tbkit/core'
import { syntheticOrders } from '@tbkit/emulator'
import { createClient } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, useGateway } from './helpers.js'
import { ORDER_METHOD, scriptedOrders, scriptedResponder } from './scripted-orders.js'

/**
 * Core's syncOrders end to end: a @tbkit/node client over HTTP against the
 * emulator. These live in the CLI package because core must not depend on
 * @tbkit/node or the emulator (core's own test drives syncOrders through a
 * Platform stub instead).
 */
const gateway = useGateway()
let client: ReturnType<typeof createClient>

beforeAll(async () => {
  client = createClient({ appKey: APP_KEY, appSecret: APP_SECRET, endpoint: gateway.url, maxRetries: 0 })
})
afterAll(async () => {
  await client.close()
})

const FROM = '2024-05-01 00:00:00'
const START = parseTimestamp(FROM)!

describe('syncOrders against the emulator', () => {
  it('syncs across windows with duplicates and an interruption, delivering every order exactly once', async () => {
    const orders = scriptedOrders(START, 4, 500)
    const { responder } = scriptedResponder(orders, { overlap: 3, failOnCalls: [25] })
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const range = { from: FROM, to: START + 4 * 24 * 3600_000, pageSize: 9 }
      const delivered: string[] = []
      let saved: OrderSyncCheckpoint | undefined
      let duplicates = 0
      await expect(async () => {
        for await (const page of syncOrderPages(client, range)) {
          delivered.push(...page.orders.map((o) => o.tradeId))
          duplicates += page.duplicates
          // What a caller persists: plain JSON.
          saved = JSON.parse(JSON.stringify(page.checkpoint)) as OrderSyncCheckpoint
        }
      }).rejects.toThrow(TopRemoteError)
      expect(delivered.length).toBeGreaterThan(0)
      expect(delivered.length).toBeLessThan(orders.length)

      for await (const page of syncOrderPages(client, { ...range, checkpoint: saved! })) {
        delivered.push(...page.orders.map((o) => o.tradeId))
        duplicates += page.duplicates
      }
      expect(delivered).toHaveLength(orders.length)
      expect(new Set(delivered)).toEqual(new Set(orders.map((o) => o.trade_id)))
      expect(duplicates).toBeGreaterThan(0)
      const windows = new Set(gateway.requests.map((r) => r.params.start_time!.value))
      expect(windows.size).toBe(32)
    } finally {
      remove()
    }
  })

  it("pages the emulator's own order service over a week, ids exact and in order", async () => {
    const count = 7 * 24 * 6
    gateway.serveOrders(syntheticOrders({ count, startMs: START, spacingMs: 600_000 }))
    const ids: string[] = []
    for await (const { tradeId, order } of syncOrders(client, { from: START, to: START + 7 * 24 * 3600_000, pageSize: 50 })) {
      ids.push(tradeId)
      expect(order.trade_id).toBe(tradeId)
    }
    expect(ids).toHaveLength(count)
    expect(ids[0]).toBe((2n ** 60n).toString())
    expect(ids.at(-1)).toBe((2n ** 60n + BigInt(count - 1)).toString())
  })

  it('stops on abort', async () => {
    gateway.serveOrders(syntheticOrders({ count: 100, startMs: START, spacingMs: 60_000 }))
    const controller = new AbortController()
    let seen = 0
    await expect(async () => {
      for await (const _ of syncOrders(client, { from: START, to: START + 3600_000 * 6, pageSize: 10, signal: controller.signal })) {
        if (++seen === 15) controller.abort()
      }
    }).rejects.toThrow(/aborted/)
    expect(seen).toBeLessThan(100)
  })
})
