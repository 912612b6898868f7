// placeholder until codegen runs
import type { Catalog } from '../meta.js'
export const catalog: Catalog = {}
