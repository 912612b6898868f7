/**
 * The idle-close watcher both stacks share (keep-alive.ts), on real sockets
 * to a server on 127.0.0.1: which closes teach the server's idle time, and
 * which must not.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { keepAliveBelow, watchIdleClose } from '../src/keep-alive.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let server: Server | undefined
const sockets: Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/**
 * A server answering each chunk with "ok", except as `onChunk` decides; a
 * watched client socket (read in flowing mode, as node:http does) and the
 * idle times it heard.
 */
async function watchedPair(onChunk: (socket: Socket, n: number) => boolean | void) {
  server = createServer((socket) => {
    sockets.push(socket)
    socket.on('error', () => {})
    let n = 0
    socket.on('data', () => {
      if (onChunk(socket, n++) !== false) socket.write('ok')
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1')
  sockets.push(client)
  client.on('error', () => {})
  const heard: number[] = []
  watchIdleClose(client, (idleMs) => heard.push(idleMs))
  await new Promise((resolve) => client.once('connect', resolve))
  const answered = () => new Promise((resolve) => client.once('data', resolve))
  const closed = new Promise((resolve) => client.once('close', resolve))
  return { client, heard, answered, closed }
}

describe('watchIdleClose', () => {
  it('a server closing the socket while it idles: the idle time since the last read', async () => {
    const { client, heard, answered, closed } = await watchedPair((socket) => void setTimeout(() => socket.end(), 60))
    client.write('request')
    await answered()
    await closed
    expect(heard).toHaveLength(1)
    expect(heard[0]).toBeGreaterThanOrEqual(50)
    expect(heard[0]).toBeLessThan(1_000)
  })

  it('a close that meets a request on a socket that answered before (the race): the idle time before the request', async () => {
    const { client, heard, answered, closed } = await watchedPair((socket, n) => {
      if (n === 1) {
        socket.destroy()
        return false
      }
    })
    client.write('first')
    await answered()
    await sleep(40)
    client.write('second')
    await closed
    expect(heard).toHaveLength(1)
    expect(heard[0]).toBeGreaterThanOrEqual(35)
    expect(heard[0]).toBeLessThan(1_000)
  })

  it("a close under a fresh socket's first request teaches nothing (no idle time to learn)", async () => {
    const { client, heard, closed } = await watchedPair((socket) => {
      socket.destroy()
      return false
    })
    await sleep(30)
    client.write('first')
    await closed
    expect(heard).toEqual([])
  })

  it('a close after the server worked on the request longer than the socket had idled teaches nothing', async () => {
    const { client, heard, answered, closed } = await watchedPair((socket, n) => {
      if (n === 1) {
        setTimeout(() => socket.destroy(), 150)
        return false
      }
    })
    client.write('first')
    await answered()
    await sleep(20)
    client.write('second')
    await closed
    expect(heard).toEqual([])
  })

  it('our own close of an idle socket teaches nothing', async () => {
    const { client, heard, answered, closed } = await watchedPair(() => {})
    client.write('request')
    await answered()
    await sleep(30)
    client.destroy()
    await closed
    expect(heard).toEqual([])
  })

  it('keeps idle sockets for half the observed time', () => {
    expect(keepAliveBelow(50)).toBe(25)
    expect(keepAliveBelow(1)).toBe(1)
  })
})
