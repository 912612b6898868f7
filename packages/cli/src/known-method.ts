import { TopValidationError, type ApiMeta, type Catalog } from '@tbkit/core'
import { closest } from './suggest.js'

/**
 * The catalog entry for a method, or a validation error (exit 3) for a method
 * the catalog does not know, unless the user asked for an untyped call.
 */
export function knownMethod(method: string, catalog: Catalog, untyped: boolean): ApiMeta | undefined {
  if (Object.hasOwn(catalog, method)) return catalog[method]
  if (untyped) return undefined
  // `tbk.tpwd.create`, `tpwd.create`: the platform's prefix left out.
  const prefixed = ['taobao.', 'taobao.tbk.'].map((prefix) => prefix + method).find((name) => Object.hasOwn(catalog, name))
  const guess = prefixed ?? closest(method, Object.keys(catalog))
  throw new TopValidationError(
    `unknown method ${method}: it is not in tbkit's catalog${guess ? ` (did you mean ${guess}?)` : ''}; pass --untyped to call it anyway`,
    { param: 'method' },
  )
}
