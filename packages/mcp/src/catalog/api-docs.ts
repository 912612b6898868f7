import { API_DOCS_JSON } from '../generated/api-docs.js'

/** A request param or a result field, as the catalog documents it. */
export interface ApiDocField {
  readonly name: string
  /** The platform's type as documented: `String`, `Number`, `Boolean`, `Date`, `Price`, `byte[]`, `Json`, `String[]`, an object type… */
  readonly type: string
  readonly description?: string
  /** Request params only. */
  readonly required?: boolean
  /** Request params only: the doc's 更多限制 column. */
  readonly limits?: string
  readonly default?: string
  readonly example?: string
  /** An object type's own fields. */
  readonly fields?: readonly ApiDocField[]
}

/** One method's documentation (from @tbkit/core's catalog, `spec/apis`). */
export interface ApiDoc {
  /** The platform's Chinese name, e.g. 淘宝客-公用-淘口令生成. */
  readonly title: string
  readonly docId: number | null
  /** promoter (推广者), service-provider (服务商), public (公用) or other. */
  readonly role: 'promoter' | 'service-provider' | 'public' | 'other'
  /** Whether the call needs the user's authorization (授权 session). */
  readonly session: 'required' | 'optional' | 'none' | 'unknown'
  /** `doc`, `sdk` or `inferred`: where the facts came from. */
  readonly confidence: string
  readonly description?: string
  readonly notes?: string
  readonly params: readonly ApiDocField[]
  readonly result: readonly ApiDocField[]
  readonly errors: readonly { readonly code: string; readonly message: string; readonly solution?: string }[]
}

let docs: ReadonlyMap<string, ApiDoc> | undefined

/** Every documented method, by name (parsed on first use). */
export function apiDocs(): ReadonlyMap<string, ApiDoc> {
  docs ??= new Map(Object.entries(JSON.parse(API_DOCS_JSON) as Record<string, ApiDoc>))
  return docs
}

/** The method's page on open.taobao.com, when the catalog knows its doc id. */
export function docLink(docId: number | null): string | undefined {
  return docId === null ? undefined : `https://open.taobao.com/api.htm?docId=${docId}&docType=2`
}
