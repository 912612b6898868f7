import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import * as z from 'zod/v4'
import { ToolInputError } from '../failure.js'

/** An ISO-8601 time with its zone (2025-06-18T20:00:00+08:00, …Z). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/

export const timeInput = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(40)
    .describe(`${what}: "yyyy-MM-dd HH:mm:ss" or "yyyy-MM-dd" in China time (GMT+8, the platform's clock), or ISO 8601 with a zone`)

/** Epoch ms of a time argument, floored to the second (the platform's times have none finer). */
export function parseTimeArg(value: string, name: string): number {
  const ms = parseTimestamp(value) ?? (ISO_WITH_ZONE.test(value) ? Date.parse(value) : undefined)
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new ToolInputError(`${name} must be "yyyy-MM-dd HH:mm:ss" (GMT+8) or ISO 8601 with a zone, got ${JSON.stringify(value)}`)
  }
  return Math.floor(ms / 1000) * 1000
}

export const gmt8 = (ms: number) => formatTimestamp(ms)
