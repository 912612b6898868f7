import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { TopAbortError, TopTimeoutError, TopValidationError } from '@tbkit/core'
import { longTimeout } from '../duration.js'
import { UsageError } from '../usage-error.js'

/** The OAuth redirect, as it reached the loopback callback with the right `state`. */
export interface Callback {
  readonly code: string
  /** Answer the browser (the page the user sees once the code is exchanged). */
  finish(ok: boolean, message: string): void
}

export interface CallbackListener {
  /** The redirect URI with the port actually bound (for `:0`). */
  readonly redirectUri: string
  /** Resolves with the code once a callback with the expected `state` arrives. */
  readonly arrival: Promise<Callback>
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** `--redirect-uri`: a plain-http loopback URL, the only kind a CLI can listen on. */
export function parseRedirectUri(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--redirect-uri is not a URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
    throw new UsageError(`--redirect-uri must be http://127.0.0.1:PORT/path (a loopback address tbk can listen on), got ${url.origin}`)
  }
  return url
}

function page(response: ServerResponse, status: number, title: string, message: string): void {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
  response.end(`<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(message)}</p>\n`)
}

/**
 * Listen on the redirect URI's loopback address for the platform's redirect.
 * A request with a wrong `state` is refused and waiting goes on (it is not
 * the browser this login started); `error=` (the user declined) ends it.
 */
export async function listenForCallback(redirect: URL, state: string, waitMs: number, signal: AbortSignal): Promise<CallbackListener> {
  let settle!: { resolve: (callback: Callback) => void; reject: (error: unknown) => void }
  const arrival = new Promise<Callback>((resolve, reject) => (settle = { resolve, reject }))
  arrival.catch(() => {}) // the caller awaits it; this only keeps an early rejection from counting as unhandled
  let done = false
  const server = createServer((request, response) => {
    request.resume()
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (request.method !== 'GET' || url.pathname !== redirect.pathname) return page(response, 404, 'Not found', 'This is tbk waiting for an authorization callback.')
    if (done) return page(response, 410, 'Already done', 'This login has finished; you can close this window.')
    if (url.searchParams.get('state') !== state) {
      return page(response, 400, 'State mismatch', 'This callback does not belong to the login tbk started; it was ignored.')
    }
    const refused = url.searchParams.get('error')
    if (refused !== null) {
      done = true
      page(response, 400, '授权未完成 — authorization declined', url.searchParams.get('error_description') ?? refused)
      return settle.reject(new TopValidationError(`authorization declined: ${refused}`, { param: 'code' }))
    }
    const code = url.searchParams.get('code')
    if (!code) return page(response, 400, 'No code', 'The callback carries no code.')
    done = true
    settle.resolve({ code, finish: (ok, message) => page(response, ok ? 200 : 502, ok ? '授权成功 — authorized' : '授权失败 — failed', message) })
  })
  const host = redirect.hostname === 'localhost' ? '127.0.0.1' : redirect.hostname.replace(/^\[|\]$/g, '')
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${redirect.port} is in use; pick another --redirect-uri port`) : error),
    )
    server.listen(Number(redirect.port || 80), host, () => resolve())
  })
  const bound = new URL(redirect.href)
  bound.port = String((server.address() as AddressInfo).port)

  // Chained timers: a --wait past 24.8 days must not fire at once.
  const cancelTimer = longTimeout(() => settle.reject(new TopTimeoutError(`no authorization arrived within ${Math.round(waitMs / 1000)} s`, { timeoutMs: waitMs })), waitMs)
  const onAbort = () => settle.reject(new TopAbortError('login interrupted'))
  signal.addEventListener('abort', onAbort, { once: true })
  if (signal.aborted) onAbort()
  return {
    redirectUri: bound.href,
    arrival,
    close: () =>
      new Promise<void>((resolve) => {
        cancelTimer()
        signal.removeEventListener('abort', onAbort)
        server.close(() => resolve())
        // The answer page is on its way (connection: close ends its socket); idle and stray sockets go now, any other soon.
        server.closeIdleConnections()
        setTimeout(() => server.closeAllConnections(), 1000).unref()
      }),
  }
}
