import { createTopClient, TopValidationError, type ApiMeta, type Catalog, type TopClient, type TopClientOptions } from '@tbkit/core'
import { edgePlatform } from './platform.js'

export interface EdgeClientOptions extends TopClientOptions {
  /**
   * Metadata of the methods this Worker calls, e.g.
   * `[taobao_tbk_tpwd_create]` from `@tbkit/core`: they are validated before
   * sending and retried when safe, and only their metadata is bundled.
   * To validate every method, pass `catalog` (from `@tbkit/core`) instead; it
   * costs the whole catalog's metadata in the bundle.
   */
  methods?: readonly ApiMeta[]
}

function catalogOf(methods: readonly ApiMeta[], base: Catalog | undefined): Catalog {
  if (!Array.isArray(methods)) throw new TopValidationError('Option methods must be an array of method metadata', { param: 'methods' })
  const out: Record<string, ApiMeta> = { ...base }
  methods.forEach((meta, i) => {
    if (meta === null || typeof meta !== 'object' || typeof meta.method !== 'string' || !Array.isArray(meta.params)) {
      const hint = typeof meta === 'string' ? ` (got the name ${JSON.stringify(meta)}: import its metadata from @tbkit/core instead)` : ''
      throw new TopValidationError(`Option methods[${i}] is not method metadata${hint}`, { param: 'methods' })
    }
    out[meta.method] = meta
  })
  return out
}

/**
 * A TOP client for Cloudflare Workers (and any runtime with WHATWG fetch and
 * WebCrypto). Methods without metadata (see `methods`) are still callable,
 * but are sent unvalidated and never retried automatically.
 */
export function createClient(options: EdgeClientOptions): TopClient {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Client options must be an object')
  const { methods, ...clientOptions } = options
  const catalog = methods === undefined ? options.catalog : catalogOf(methods, options.catalog)
  return createTopClient(edgePlatform(), { ...clientOptions, catalog })
}
