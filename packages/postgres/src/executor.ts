import type { Pool, PoolClient } from 'pg'
import type { SqlExecutor, SqlResult, SqlStatement } from '@tbkit/core'

/** Most times one call is tried when the connection drops or PostgreSQL picks it as a deadlock victim. */
export const POSTGRES_MAX_ATTEMPTS = 4

/**
 * Errors after which the same call may simply run again: the connection
 * died (server restart, network) or the server rolled the transaction back
 * (deadlock, serialization failure). Every call the ledger store makes is
 * safe to repeat: upserts keep the newer row, inserts skip what exists, the
 * outbox only queues new rows, and the fence is checked again.
 */
function retryable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  if (code !== undefined && ['40P01', '40001', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true
  return typeof message === 'string' && /Connection terminated|connection is closed|Client has encountered a connection error|terminating connection/i.test(message)
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (error) {
      if (n >= POSTGRES_MAX_ATTEMPTS || !retryable(error)) throw error
      await pause(100 * 2 ** (n - 1)) // 100, 200, 400 ms: enough for a restarted server to accept again
    }
  }
}

function resultOf(result: { rows: Record<string, unknown>[]; rowCount: number | null }): SqlResult {
  return { rows: result.rows, changes: result.rowCount ?? 0 }
}

/**
 * node-postgres behind core's `SqlExecutor`. A batch is one transaction on
 * one pooled connection, at READ COMMITTED: the store's statements lock what
 * they rely on themselves (`SELECT … FOR UPDATE` on the lease row, upserts'
 * row locks), so no stronger isolation (and none of its retries) is needed.
 */
export function postgresExecutor(pool: Pool, owns = true): SqlExecutor {
  // An idle pooled connection that the server closes (a restart) emits
  // 'error' on the pool; unhandled, that would end the process. The
  // listener stays after close(): connections still closing may report too.
  const onIdleError = () => {}
  pool.on('error', onIdleError)

  return {
    query: (statement: SqlStatement) => withRetry(async () => resultOf(await pool.query({ text: statement.sql, values: [...statement.params] }))),

    batch: (statements: readonly SqlStatement[]) =>
      withRetry(async () => {
        const client: PoolClient = await pool.connect()
        let broken: Error | undefined
        // A checked-out connection that dies between two statements (the
        // server restarted) emits 'error' on the client, which the pool no
        // longer listens for: unhandled, that would end the process.
        const onError = (error: Error) => {
          broken = error
        }
        client.on('error', onError)
        try {
          await client.query('BEGIN ISOLATION LEVEL READ COMMITTED')
          const results: SqlResult[] = []
          for (const statement of statements) results.push(resultOf(await client.query({ text: statement.sql, values: [...statement.params] })))
          await client.query('COMMIT')
          return results
        } catch (error) {
          await client.query('ROLLBACK').catch((rollback: unknown) => {
            broken = rollback instanceof Error ? rollback : new Error(String(rollback))
          })
          throw error
        } finally {
          // A connection that died, or could not even roll back, is dropped, not reused.
          client.off('error', onError)
          client.release(broken)
        }
      }),

    async close() {
      if (owns) await pool.end()
    },
  }
}
