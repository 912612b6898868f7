/**
 * Real D1 (in workerd, through Miniflare) for tests that run in Node.
 *
 * Statements reach D1 over HTTP: a small relay Worker, bound to the same
 * databases, runs each query or batch on the binding a request names. Not
 * through Miniflare's binding proxy (`getD1Database`): its `prepare()` is a
 * synchronous call (Atomics.wait on a worker thread) that, on a loaded
 * machine, can read a stale reply, after which every later call of the run
 * fails its id check.
 */

/** The relay Worker's module source: POST `{ db, op: 'all' | 'batch', statements: [{ sql, params }] }`. */
export const D1_RELAY_SCRIPT = `
export default {
  async fetch(request, env) {
    const { db, op, statements } = await request.json()
    try {
      const prepared = statements.map(({ sql, params }) => {
        const statement = env[db].prepare(sql)
        return params.length === 0 ? statement : statement.bind(...params)
      })
      const results = op === 'batch' ? await env[db].batch(prepared) : [await prepared[0].all()]
      return Response.json(results.map(({ results, meta }) => ({ results, meta: { changes: meta?.changes ?? 0 } })))
    } catch (error) {
      return Response.json({ error: String(error?.message ?? error) }, { status: 500 })
    }
  },
}`

/** What D1 answers for one statement, as much as the ledger store reads. */
export interface RelayedResult {
  results?: unknown[]
  meta?: { changes?: number }
}

/** A prepared statement of the relayed binding (structurally D1's). */
export interface RelayedStatement {
  bind(...values: unknown[]): RelayedStatement
  all(): Promise<RelayedResult>
}

/** The relayed binding: `prepare` and `batch`, like `env.DB`. */
export interface RelayedD1 {
  prepare(sql: string): RelayedStatement
  batch(statements: RelayedStatement[]): Promise<RelayedResult[]>
}

interface Sent {
  sql: string
  params: unknown[]
}

/**
 * The D1 binding `db` of the relay Worker, as a Node test sees it:
 * statements are prepared and bound locally, each `all()` or `batch()` is
 * one request (`post` sends the JSON body to the relay Worker).
 */
export function d1OverHttp(post: (body: string) => Promise<{ json(): Promise<unknown> }>, db: string): RelayedD1 {
  const sent = new WeakMap<RelayedStatement, Sent>()
  async function send(op: 'all' | 'batch', statements: Sent[]): Promise<RelayedResult[]> {
    const body = (await (await post(JSON.stringify({ db, op, statements }))).json()) as RelayedResult[] | { error: string }
    if (!Array.isArray(body)) throw new Error(`D1: ${body.error}`)
    return body
  }
  const statementOf = (statement: Sent): RelayedStatement => {
    const prepared: RelayedStatement = {
      bind: (...params) => statementOf({ sql: statement.sql, params }),
      all: async () => (await send('all', [statement]))[0]!,
    }
    sent.set(prepared, statement)
    return prepared
  }
  return {
    prepare: (sql) => statementOf({ sql, params: [] }),
    batch(statements) {
      const batch = statements.map((statement) => {
        const known = sent.get(statement)
        if (known === undefined) throw new TypeError('d1OverHttp: batch() takes statements this binding prepared')
        return known
      })
      return send('batch', batch)
    },
  }
}
