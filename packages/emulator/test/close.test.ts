import { Agent, request as httpRequest } from 'node:http'
import { expect, it } from 'vitest'
import { signedFields, start } from './helpers.js'

// Alone in its file so no other test's sockets are open while handles are counted.
it('close() ends open keep-alive sockets and leaves no handles behind', async () => {
  const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length
  const before = tcpHandles()
  const emulator = await start()
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const fields = new URLSearchParams(await signedFields('taobao.tbk.item.info.get', { num_iids: '1' })).toString()
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(emulator.url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end(fields)
    })
  expect(await Promise.all([post(), post(), post(), post()])).toEqual([200, 200, 200, 200])
  expect(Object.values(agent.freeSockets).flat().length).toBeGreaterThan(0)
  const closedSockets = new Promise<void>((resolve) => {
    const sockets = Object.values(agent.freeSockets).flat()
    let open = sockets.length
    for (const socket of sockets) socket!.once('close', () => --open === 0 && resolve())
  })
  await emulator.close()
  await closedSockets
  agent.destroy()
  expect(tcpHandles()).toBe(before)
  await expect(fetch(emulator.url)).rejects.toThrow()
})

