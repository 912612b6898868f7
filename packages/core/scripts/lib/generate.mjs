// Everything codegen produces, as path → text. Pure: reads spec/ and the
// README, writes nothing (codegen.mjs decides whether to write or check).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { emitCatalog } from './emit-catalog.mjs'
import { apiTable, withApiTable } from './emit-readme.mjs'
import { emitTypes } from './emit-types.mjs'
import { loadCatalog, loadIndex } from './spec.mjs'

export function generate({ specDir, packageDir, repoDir }) {
  const apis = loadCatalog(specDir)
  const generatedDir = join(packageDir, 'src', 'generated')
  const readmePath = join(repoDir, 'README.md')
  return new Map([
    [join(generatedDir, 'catalog.ts'), emitCatalog(apis)],
    [join(generatedDir, 'types.ts'), emitTypes(apis)],
    [readmePath, withApiTable(readFileSync(readmePath, 'utf8'), apiTable(loadIndex(specDir), apis))],
  ])
}
