import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { startPostgres, type PostgresServer } from '@tbkit/test-support'
import { ledgerStoreConformance } from '@tbkit/test-support/ledger-store-conformance'
import { postgresLedgerStore } from '../src/index.js'

let server: PostgresServer
let admin: pg.Client
let databases = 0

beforeAll(async () => {
  server = await startPostgres()
  admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
}, 180_000)

afterAll(async () => {
  await admin?.end()
  await server?.destroy()
}, 60_000)

// Each test gets its own database on one real server; every `open()` is a new pool on it.
ledgerStoreConformance('PostgreSQL (pg)', async () => {
  const name = `ledger_${++databases}`
  await admin.query(`CREATE DATABASE ${name}`)
  return {
    async open() {
      return postgresLedgerStore({ url: server.urlFor(name) })
    },
    async cleanup() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
})
