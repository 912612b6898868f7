import type { TopTransportError } from '@tbkit/core'
import { CliError } from './cli-error.js'
import { EXIT } from './exit-codes.js'

const GATEWAY_PATH = '/router/rest'
const WHERE = '--endpoint, TBK_ENDPOINT or the profile (tbk config set endpoint)'

/** The endpoint of this run's client, for the hint when its answers make no sense. */
let current: URL | undefined

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

/**
 * Check the endpoint the way the library will, but in the CLI's words: it
 * comes from a flag, the environment or the profile, not a client option.
 */
export function checkEndpoint(endpoint: string | undefined): void {
  if (endpoint === undefined) return
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new CliError(`the endpoint ${JSON.stringify(endpoint)} is not a URL`, EXIT.validation, `set a URL like https://eco.taobao.com/router/rest in ${WHERE}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError(`the endpoint ${url.href} is not an http(s) URL`, EXIT.validation, `set a URL like https://eco.taobao.com/router/rest in ${WHERE}`)
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new CliError(
      `the endpoint ${url.origin} uses plain http to another machine: the signed request (and the session) would cross the network unencrypted`,
      EXIT.validation,
      `use https in ${WHERE}; plain http is for a local gateway (127.0.0.1, localhost) such as tbk emulator`,
    )
  }
  current = url
}

/** A hint for an answer that is not the gateway's (HTTP 404, HTML…) from an endpoint missing `/router/rest`. */
export function endpointHint(error: TopTransportError): string | undefined {
  if (current === undefined || current.pathname.replace(/\/+$/, '').endsWith(GATEWAY_PATH)) return undefined
  const notGateway = error.kind === 'decode' || (error.kind === 'http-status' && (error.status === 404 || error.status === 405))
  if (!notGateway) return undefined
  const suggested = `${current.origin}${GATEWAY_PATH}`
  return `the endpoint ${current.origin}${current.pathname} does not end in ${GATEWAY_PATH}, where TOP gateways answer: did you mean ${suggested}?`
}
