import type { ProxyEnvironment } from './dispatcher.js'

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 }

interface NoProxyEntry {
  readonly hostname: string
  /** 0: any port. */
  readonly port: number
}

/** NO_PROXY as undici's EnvHttpProxyAgent reads it: comma/space separated, `host[:port]`, `.host` and `*.host` for subdomains. */
function parseNoProxy(value: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = []
  for (const entry of value.split(/[,\s]/)) {
    if (!entry) continue
    const withPort = /^(.+):(\d+)$/.exec(entry)
    entries.push({
      hostname: (withPort ? withPort[1]! : entry).replace(/^\*?\./, '').toLowerCase(),
      port: withPort ? Number.parseInt(withPort[2]!, 10) : 0,
    })
  }
  return entries
}

/**
 * Which proxy (if any) a request to a URL goes through, by the same rules as
 * the undici path (an explicit `proxy`, else HTTP(S)_PROXY with NO_PROXY), so
 * both transports route every request alike.
 */
export function proxyRouter(proxy: string | false | undefined, environment: ProxyEnvironment | undefined): (target: URL) => URL | undefined {
  if (typeof proxy === 'string') {
    const explicit = new URL(proxy)
    return () => explicit
  }
  if (proxy === false || !environment) return () => undefined
  const httpProxy = environment.httpProxy ? new URL(environment.httpProxy) : undefined
  const httpsProxy = environment.httpsProxy ? new URL(environment.httpsProxy) : httpProxy
  const noProxy = environment.noProxy
  const entries = parseNoProxy(noProxy)
  return (target) => {
    const viaProxy = target.protocol === 'https:' ? httpsProxy : httpProxy
    if (!viaProxy || entries.length === 0) return viaProxy
    if (noProxy === '*') return undefined
    // host keeps an IPv6 address's brackets; the port is stripped by hand.
    const hostname = target.host.replace(/:\d*$/, '').toLowerCase()
    const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0
    for (const entry of entries) {
      if (entry.port && entry.port !== port) continue
      if (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)) return undefined
    }
    return viaProxy
  }
}

/** `Proxy-Authorization` for `user:password@` in a proxy URL (percent-decoded; both parts needed, as undici's ProxyAgent does it). */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username || !proxy.password) return undefined
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return `Basic ${Buffer.from(credentials).toString('base64')}`
}
