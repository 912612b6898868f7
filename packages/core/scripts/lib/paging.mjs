// Pagination metadata for `client.paginate`, derived from the catalog only
// where it is unambiguous: one list of records in the result and the
// documented page or cursor params. Paths point into the unwrapped result.
import { parseType } from './types-of-spec.mjs'

const PAGE_PARAMS = ['page_no', 'page_num']
const TOTAL_FIELDS = new Set(['total_results', 'total_count', 'total_cnt', 'total'])

/** Every field reachable through objects (not through lists), with its path. */
function objectFields(fields, path, where, out = []) {
  for (const field of fields) {
    const fieldPath = [...path, field.name]
    const type = parseType(field.type, `${where}.${field.name}`)
    out.push({ path: fieldPath, type, field })
    if (!type.list && field.children.length > 0) objectFields(field.children, fieldPath, where, out)
  }
  return out
}

function single(found) {
  return found.length === 1 ? found[0].path : undefined
}

export function pagingOf(api) {
  const params = new Set(api.request.map((p) => p.name))
  const fields = objectFields(api.response, [], api.method)
  const items = single(fields.filter((f) => f.type.list && f.type.object))
  if (!items) return undefined
  const named = (name) => single(fields.filter((f) => f.field.name === name && !f.type.object))
  const pageParam = PAGE_PARAMS.find((p) => params.has(p))
  const sizeParam = params.has('page_size') ? 'page_size' : undefined
  const hasNext = named('has_next')
  if (params.has('position_index')) {
    const nextCursor = named('position_index')
    if (hasNext && nextCursor) {
      return {
        style: 'cursor',
        cursorParam: 'position_index',
        ...(sizeParam && { sizeParam }),
        ...(pageParam && { pageParam }),
        ...(params.has('jump_type') && { jumpParam: 'jump_type' }),
        hasNext,
        nextCursor,
        items,
      }
    }
  }
  if (!pageParam || !sizeParam) return undefined
  const total = single(fields.filter((f) => TOTAL_FIELDS.has(f.field.name) && !f.type.object && !f.type.list))
  return {
    style: 'page',
    pageParam,
    sizeParam,
    items,
    ...(hasNext && { hasNext }),
    ...(total && { total }),
  }
}
