import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'

/**
 * Learning how long a server keeps an idle connection open.
 *
 * A server that closes idle keep-alive sockets without saying when (no
 * `Keep-Alive: timeout=` hint; undici honours the hint itself) races every
 * request written to a socket as it closes: the request dies with
 * ECONNRESET, and a write that may have been received is never retried. So
 * each socket notes when it last read and wrote; a close by the server while
 * the socket was idle tells how long the server waits, and the platform then
 * keeps idle sockets for only half of that (see platform.ts).
 */

/** Closes sooner than this after the last read are not idle timeouts (`Connection: close`, a server shutting down). */
export const MIN_IDLE_CLOSE_MS = 10

/** Watch one socket; `onIdleClose` hears how long it had been idle when the server closed it. */
export function watchIdleClose(socket: Socket, onIdleClose: (idleMs: number) => void): void {
  let lastRead = performance.now()
  let lastWrite = 0
  // undici reads the socket with read() (paused mode): a 'data' listener would switch it to flowing.
  const read = socket.read
  socket.read = function (this: Socket, size?: number) {
    const chunk: unknown = read.call(this, size)
    if (chunk !== null) lastRead = performance.now()
    return chunk
  } as Socket['read']
  const write = socket.write
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    lastWrite = performance.now()
    return write.apply(this, args)
  } as Socket['write']
  socket.once('end', () => {
    // A request written after the last read is in flight: the close is no idle timeout.
    if (lastWrite > lastRead) return
    const idleMs = performance.now() - lastRead
    if (idleMs >= MIN_IDLE_CLOSE_MS) onIdleClose(idleMs)
  })
}

/** The idle time to keep a socket, given the server's observed one: half, so a close never meets a fresh request. */
export function keepAliveBelow(serverIdleMs: number): number {
  return Math.max(1, Math.floor(serverIdleMs / 2))
}
