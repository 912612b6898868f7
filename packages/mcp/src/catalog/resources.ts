import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { McpError, ErrorCode, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js'
import type { ApiMeta, Catalog } from '@tbkit/core'
import { apiDocs, docLink, type ApiDoc } from './api-docs.js'

export const CATALOG_URI = 'tbk://catalog'
export const API_URI_TEMPLATE = 'tbk://api/{method}'
export const apiUri = (method: string) => `tbk://api/${method}`

/** Which raw tool may call a method under this server's settings, or why none may. */
export interface RawAccess {
  readonly allowRaw: boolean
  readonly allowWrites: boolean
}

const ROLES: Record<ApiDoc['role'], string> = {
  promoter: 'promoter (推广者)',
  'service-provider': 'service provider (服务商)',
  public: 'public (公用)',
  other: 'other',
}

function access(meta: ApiMeta | undefined): 'read' | 'write' {
  return meta?.safe === true ? 'read' : 'write'
}

function callableWith(meta: ApiMeta | undefined, raw: RawAccess): string {
  if (meta?.qimen === true) return 'none: a Qimen API, served by the Qimen gateway, not this server'
  if (!raw.allowRaw) return 'none: the raw tools are off (the operator starts the server with --allow-raw)'
  if (access(meta) === 'read') return 'call_api'
  return raw.allowWrites ? 'call_write_api' : 'none: a write method (the operator starts the server with --allow-raw --allow-writes)'
}

function describe(method: string, doc: ApiDoc, meta: ApiMeta | undefined): string {
  const session = doc.session === 'required' ? "; needs the user's session (授权)" : ''
  return `${doc.title} — ${ROLES[doc.role]}, ${access(meta)}${session}`
}

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] }
}

/**
 * The catalog as resources an agent can look an API up in: `tbk://catalog`
 * lists every method with its Chinese title; `tbk://api/{method}` is one
 * method — params with their descriptions, result fields, errors, the doc link.
 */
export function registerCatalogResources(server: McpServer, catalog: Catalog, raw: RawAccess): void {
  const docs = () => apiDocs()
  server.registerResource(
    'catalog',
    CATALOG_URI,
    {
      title: '淘宝客 API catalog',
      description: 'Every Taobao Union (淘宝客) API method tbkit knows: name, Chinese title, role, read or write, session need, and its resource URI',
      mimeType: 'application/json',
    },
    (uri) =>
      json(uri.href, {
        count: docs().size,
        methods: [...docs()].map(([method, doc]) => ({
          method,
          title: doc.title,
          role: doc.role,
          access: access(catalog[method]),
          session: doc.session,
          uri: apiUri(method),
        })),
      }),
  )

  server.registerResource(
    'api',
    new ResourceTemplate(API_URI_TEMPLATE, {
      list: () => ({
        resources: [...docs()].map(([method, doc]) => ({
          uri: apiUri(method),
          name: method,
          title: doc.title,
          description: describe(method, doc, catalog[method]),
          mimeType: 'application/json',
        })),
      }),
      complete: { method: (value) => [...docs().keys()].filter((method) => method.startsWith(value)).slice(0, 100) },
    }),
    {
      title: '淘宝客 API method',
      description: 'One method of the catalog: its Chinese title, params (name, type, required, description, limits, example), result fields, errors and doc link',
      mimeType: 'application/json',
    },
    (uri, variables) => {
      const method = String(variables.method)
      const doc = docs().get(method)
      if (doc === undefined) throw new McpError(ErrorCode.InvalidParams, `No method ${JSON.stringify(method)} in the catalog; ${CATALOG_URI} lists them`)
      const meta = catalog[method]
      return json(uri.href, {
        method,
        title: doc.title,
        role: ROLES[doc.role],
        access: access(meta),
        retried_automatically: meta?.safe === true,
        session: doc.session,
        doc_link: docLink(doc.docId) ?? null,
        callable_with: callableWith(meta, raw),
        ...(doc.description && { description: doc.description }),
        ...(doc.notes && { notes: doc.notes }),
        ...(meta?.paging && { paging: meta.paging }),
        confidence: doc.confidence,
        params: doc.params,
        result: doc.result,
        errors: doc.errors,
      })
    },
  )
}
