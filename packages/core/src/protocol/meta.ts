/**
 * Runtime metadata for one TOP method, generated from the catalog
 * (`spec/`, `scripts/codegen.mjs`) into `src/generated/`.
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

/** A path of field names into the unwrapped (plain-array) result, e.g. `['data', 'results']`. */
export type ResultPath = readonly string[]

/**
 * Numbered pages: send `pageParam` = 1, 2, … with `sizeParam` until a page
 * comes back short or empty, `hasNext` is false, or `total` records were seen.
 */
export interface PagePaging {
  readonly style: 'page'
  readonly pageParam: string
  readonly sizeParam: string
  /** The list of records on each page. */
  readonly items: ResultPath
  /** A boolean telling whether another page exists, when documented. */
  readonly hasNext?: ResultPath
  /** The total record count, when documented. */
  readonly total?: ResultPath
}

/**
 * Cursor pages (order reports): send the previous answer's `nextCursor` as
 * `cursorParam` (with `jumpParam` = 1, "forward", and `pageParam` + 1 where
 * the method has them) while `hasNext` is true.
 */
export interface CursorPaging {
  readonly style: 'cursor'
  readonly cursorParam: string
  readonly sizeParam?: string
  readonly pageParam?: string
  readonly jumpParam?: string
  readonly hasNext: ResultPath
  readonly nextCursor: ResultPath
  readonly items: ResultPath
}

/** How a method pages through results; present only where the catalog clearly documents it. */
export type Paging = PagePaging | CursorPaging

export interface ApiMeta {
  readonly method: string
  readonly params: readonly ParamMeta[]
  /** Whether the user's authorization `session` is needed (`unknown`: sent when given). */
  readonly session: SessionNeed
  /** Safe to repeat: reads are retried automatically, writes never. */
  readonly safe: boolean
  readonly paging?: Paging
  /** A Qimen API: served by the Qimen gateway, not `/router/rest`; the default endpoint will not answer it. */
  readonly qimen?: true
}

/** Method name → metadata. Platform packages hand the full catalog to core; lean builds hand a few. */
export type Catalog = Readonly<Record<string, ApiMeta>>
