import type { SqlDialect } from './sql-dialect.js'

/**
 * The ledger's schema as numbered migrations. A migration is applied once,
 * in one transaction that also records its number in `ledger_schema`; a
 * new version of tbkit appends migrations, never edits an applied one.
 */
export interface LedgerMigration {
  readonly version: number
  /** DDL statements for the dialect, run in order. */
  statements(dialect: SqlDialect): readonly string[]
}

export const LEDGER_SCHEMA_TABLE = `CREATE TABLE IF NOT EXISTS ledger_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)`

export const LEDGER_MIGRATIONS: readonly LedgerMigration[] = [
  {
    version: 1,
    statements: ({ int, keyText, serialKey }) => [
      `CREATE TABLE ledger_orders (
        trade_id ${keyText} PRIMARY KEY,
        trade_parent_id TEXT,
        tk_status ${int} NOT NULL,
        modified_ms ${int} NOT NULL,
        create_ms ${int} NOT NULL,
        paid_ms ${int},
        earning_ms ${int},
        create_day TEXT NOT NULL,
        adzone_id TEXT,
        site_id TEXT,
        relation_id TEXT,
        special_id TEXT,
        refund_tag ${int} NOT NULL,
        alipay_total_fen ${int} NOT NULL,
        pub_share_pre_fen ${int} NOT NULL,
        pub_share_fen ${int} NOT NULL,
        record TEXT NOT NULL
      )`,
      'CREATE INDEX ledger_orders_status ON ledger_orders (tk_status)',
      'CREATE INDEX ledger_orders_modified ON ledger_orders (modified_ms)',
      'CREATE INDEX ledger_orders_created ON ledger_orders (create_ms)',
      `CREATE TABLE ledger_statuses (
        trade_id ${keyText} NOT NULL,
        tk_status ${int} NOT NULL,
        modified_ms ${int} NOT NULL,
        change_key TEXT NOT NULL UNIQUE,
        change TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (trade_id, tk_status, modified_ms)
      )`,
      'CREATE INDEX ledger_statuses_modified ON ledger_statuses (modified_ms)',
      `CREATE TABLE ledger_events (
        change_key TEXT PRIMARY KEY,
        trade_id ${keyText} NOT NULL,
        type TEXT NOT NULL,
        time_ms ${int} NOT NULL,
        change TEXT NOT NULL,
        record TEXT NOT NULL
      )`,
      'CREATE INDEX ledger_events_trade ON ledger_events (trade_id, time_ms)',
      'CREATE INDEX ledger_events_time ON ledger_events (time_ms)',
      `CREATE TABLE ledger_outbox (
        seq ${serialKey},
        change_key TEXT NOT NULL UNIQUE,
        change TEXT NOT NULL,
        attempts ${int} NOT NULL DEFAULT 0,
        created_ms ${int} NOT NULL,
        acked_ms ${int}
      )`,
      'CREATE INDEX ledger_outbox_pending ON ledger_outbox (seq) WHERE acked_ms IS NULL',
      `CREATE TABLE ledger_leases (
        scope_key TEXT PRIMARY KEY,
        app_key TEXT NOT NULL,
        account TEXT NOT NULL,
        kind TEXT NOT NULL,
        holder TEXT NOT NULL,
        token ${int} NOT NULL,
        expires_ms ${int} NOT NULL
      )`,
      `CREATE TABLE ledger_cursors (
        scope_key TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_ms ${int} NOT NULL,
        PRIMARY KEY (scope_key, name)
      )`,
      // One row per scope, written first in every commit: its NOT NULL
      // column fails (and so aborts the whole batch) when the writer's token
      // is not the scope's current one. D1 has no interactive transactions,
      // so the fence has to be a statement that can fail on its own.
      `CREATE TABLE ledger_fence (
        scope_key TEXT PRIMARY KEY,
        ok ${int} NOT NULL
      )`,
    ],
  },
]

/**
 * The newest schema version this build knows. (Computed in a call marked pure,
 * so a bundle that never touches the ledger can drop the migrations: esbuild
 * keeps a top-level property read, and with it everything it reads.)
 */
export const LEDGER_SCHEMA_VERSION: number = /* @__PURE__ */ (() => LEDGER_MIGRATIONS[LEDGER_MIGRATIONS.length - 1]!.version)()
