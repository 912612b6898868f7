import { EXIT } from './exit-codes.js'

/**
 * A server that cannot listen (`tbk emulator --port N`), in the user's words:
 * which port, why, and what to do. Node's own error reads "listen
 * EADDRINUSE: address already in use 127.0.0.1:8787". The port was the
 * user's choice, so it is a usage error (exit 2).
 */
export function listenFailure(error: unknown): { code: number; message: string; hint: string } | undefined {
  const failure = error as (NodeJS.ErrnoException & { address?: string; port?: number }) | null
  if (failure === null || typeof failure !== 'object' || failure.syscall !== 'listen') return undefined
  const where = failure.port === undefined ? 'the port' : `port ${failure.port}${failure.address ? ` on ${failure.address}` : ''}`
  if (failure.code === 'EADDRINUSE') {
    return { code: EXIT.usage, message: `${where} is already in use (another tbk emulator, or another server)`, hint: 'pick another with --port N, or leave --port out for any free port' }
  }
  if (failure.code === 'EACCES') {
    return { code: EXIT.usage, message: `not allowed to listen on ${where}`, hint: 'ports below 1024 need privileges: pick one above 1024, or leave --port out' }
  }
  return undefined
}
