import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, Socket } from 'node:net'

/** A real redis-server of our own on a free loopback port, without persistence. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  stop(): Promise<void>
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

/** Start redis-server on `port` (default: a free one) and wait until it answers PING (at most 10 s). */
export async function startRedis(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort())
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  child.once('error', () => {})
  for (let i = 0; i < 100 && !exited; i++) {
    if (await answersPing(chosen)) {
      return {
        port: chosen,
        url: `redis://127.0.0.1:${chosen}`,
        async stop() {
          if (!exited) child.kill('SIGKILL')
          await exit
        },
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not start on port ${chosen} (is it installed? .ci/run installs it)`)
}
