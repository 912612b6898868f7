import { expect } from 'vitest'
import type { ChaosReport } from './chaos.js'

/**
 * What every chaos run must end with (issue 21's "Done when"): the ledger
 * equal to the ground truth, a day big enough to mean something, the faults
 * really injected, and every change delivered. Prints the summary first, so
 * a red run shows what happened.
 */
export function expectChaosSurvived(name: string, report: ChaosReport, expected: { dbRestarts?: number } = {}): void {
  process.stderr.write(`chaos(${name}): ${JSON.stringify({ ...report, problems: report.problems.length })}\n`)
  expect(report.problems).toEqual([])
  expect(report.orders).toBeGreaterThanOrEqual(50_000)
  expect(report.statusChanges).toBeGreaterThanOrEqual(20_000)
  expect(report.lateOrders).toBeGreaterThan(0)
  expect(report.refundStates).toBeGreaterThan(0)
  expect(report.kills).toBeGreaterThanOrEqual(10)
  expect(report.faults).toBeGreaterThan(0)
  expect(report.dbRestarts).toBe(expected.dbRestarts ?? 0)
  expect(report.undelivered).toBe(0)
  expect(report.pendingAfter).toBe(0)
}
