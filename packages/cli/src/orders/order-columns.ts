import { ORDER_DETAILS_METHOD } from '@tbkit/core'
import { readApiSpec, type SpecField } from '../spec-reader.js'

/**
 * CSV columns: every field of an order (`PublisherOrderDto`) in the order the
 * platform documents them, read from the catalog so a new field is one
 * catalog update away. Nested fields become JSON text in their cell.
 */
export async function orderColumns(): Promise<string[]> {
  const spec = await readApiSpec(ORDER_DETAILS_METHOD)
  const data = spec?.response.find((field) => field.name === 'data')
  const results = data?.children.find((field: SpecField) => field.name === 'results')
  const columns = results?.children.map((field) => field.name) ?? []
  if (!columns.includes('trade_id')) columns.unshift('trade_id')
  return columns
}
