/**
 * Runtime metadata for one TOP method, generated from the catalog
 * (`spec/`, `scripts/codegen`) into `src/generated/`.
 */

/** How a param's value is checked and encoded. */
export type ParamKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'date'
  | 'price'
  | 'json'
  | 'file'
  | 'string-list'
  | 'number-list'
  | 'field-list'

export interface ParamMeta {
  /** The wire name, exactly as the platform spells it (typos included). */
  readonly name: string
  readonly kind: ParamKind
  readonly required: boolean
}

export type SessionNeed = 'required' | 'optional' | 'none' | 'unknown'

export interface ApiMeta {
  readonly method: string
  readonly params: readonly ParamMeta[]
  /** Whether the user's authorization `session` is needed (`unknown`: sent when given). */
  readonly session: SessionNeed
  /** Safe to repeat: reads are retried automatically, writes never. */
  readonly safe: boolean
}

/** Method name → metadata. Platform packages hand the full catalog to core; lean builds hand a few. */
export type Catalog = Readonly<Record<string, ApiMeta>>
