import { describe, expect, it } from 'vitest'
import { MAX_ROWS_PER_STATEMENT, MAX_STATEMENT_SHAPES, rowsPerStatement, statementChunks } from '../src/workflows/ledger/sql-chunks.js'
import { d1Dialect, sqliteDialect } from '../src/index.js'

/** Rows → multi-row statements of a few fixed row counts, so a driver prepares a bounded set of SQL texts. */
describe('statementChunks', () => {
  const isPowerOfTwo = (n: number) => n >= 1 && (n & (n - 1)) === 0

  for (const size of [MAX_ROWS_PER_STATEMENT, 16, 5, 1]) {
    it(`cuts any number of rows into chunks of ${size} or powers of two below it, in order, with few distinct lengths`, () => {
      const lengths = new Set<number>()
      for (let n = 0; n <= 3 * size + 57; n++) {
        const rows = Array.from({ length: n }, (_, i) => i)
        const chunks = statementChunks(rows, size)
        expect(chunks.flat()).toEqual(rows)
        for (const chunk of chunks) {
          expect(chunk.length === size || (isPowerOfTwo(chunk.length) && chunk.length < size)).toBe(true)
          lengths.add(chunk.length)
        }
        // Full chunks first, then each power of two at most once: a short tail never costs more than log2(size) + 1 statements.
        expect(chunks.length).toBeLessThanOrEqual(Math.floor(n / size) + Math.floor(Math.log2(size)) + 1)
      }
      expect(lengths.size).toBeLessThanOrEqual(Math.floor(Math.log2(size)) + 2)
    })
  }

  it('puts a full page of orders in one statement on SQLite and stays under D1’s parameter limit', () => {
    expect(statementChunks(Array.from({ length: 100 }, (_, i) => i), rowsPerStatement(17, sqliteDialect))).toHaveLength(1)
    expect(rowsPerStatement(17, d1Dialect) * 17).toBeLessThanOrEqual(d1Dialect.maxParams)
    expect(rowsPerStatement(1, d1Dialect)).toBeLessThanOrEqual(d1Dialect.maxParams)
    expect(MAX_STATEMENT_SHAPES).toBe(8)
  })
})
