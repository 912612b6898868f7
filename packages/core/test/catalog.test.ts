// The runtime catalog against the spec files it is generated from, and the
// generator's own guarantees (deterministic, loud on anything it does not
// understand, --check catches a stale generation).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { catalog, type ApiMeta, type ParamKind, type ResultPath } from '../src/index.js'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
const SPEC = join(PACKAGE, 'spec')

interface SpecField {
  name: string
  type: string
  required?: boolean
  children: SpecField[]
}
interface SpecApi {
  method: string
  session: string
  request: SpecField[]
  response: SpecField[]
}

const specs: SpecApi[] = readdirSync(join(SPEC, 'apis'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(SPEC, 'apis', f), 'utf8')) as SpecApi)

/** The generator's modules are plain Node ESM; loaded by URL so tsc does not need their types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const generator = (name: string): Promise<any> => import(new URL(`../scripts/lib/${name}.mjs`, import.meta.url).href)

/** Kinds a documented type may legitimately get (strings documented as comma lists become string-list). */
function allowedKinds(type: string): ParamKind[] {
  const t = type.replace(/\s+/g, '')
  if (t === 'String') return ['string', 'string-list']
  if (t === 'Number') return ['number']
  if (t === 'Boolean') return ['boolean']
  if (t === 'Date') return ['date']
  if (t === 'Price' || t === 'BigDecimal') return ['price']
  if (t === 'byte[]') return ['file']
  if (t === 'String[]') return ['string-list']
  if (t === 'Number[]') return ['number-list']
  if (t === 'FieldList') return ['field-list']
  if (/^[A-Z]\w*(\[\])?$/.test(t)) return ['json']
  return []
}

function fieldAt(fields: SpecField[], path: ResultPath): SpecField | undefined {
  let list = fields
  let found: SpecField | undefined
  for (const name of path) {
    found = list.find((f) => f.name === name)
    if (!found) return undefined
    list = found.children
  }
  return found
}

const scratch = mkdtempSync(join(tmpdir(), 'tbkit-codegen-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('catalog', () => {
  it('has one entry per spec file, keyed by its method', () => {
    expect(Object.keys(catalog)).toHaveLength(specs.length)
    expect(Object.keys(catalog).sort()).toEqual(specs.map((s) => s.method).sort())
    for (const [method, meta] of Object.entries(catalog)) expect(meta.method).toBe(method)
  })

  it.each(specs.map((s) => [s.method, s] as const))('%s: every param, in order, with its wire name, kind and required flag', (method, spec) => {
    const meta = catalog[method]!
    expect(meta.params.map((p) => p.name)).toEqual(spec.request.map((p) => p.name))
    spec.request.forEach((param, i) => {
      const got = meta.params[i]!
      expect(got.required, param.name).toBe(param.required === true)
      expect(allowedKinds(param.type), `${param.name}: ${param.type} → ${got.kind}`).toContain(got.kind)
    })
    expect(meta.session).toBe(spec.session)
    expect(meta.params.filter((p) => p.kind === 'file').map((p) => p.name)).toEqual(
      spec.request.filter((p) => p.type.trim() === 'byte[]').map((p) => p.name),
    )
  })

  it('keeps misspelled wire names as documented', () => {
    expect(catalog['taobao.tbk.dg.item.group.merge']!.params.map((p) => p.name)).toContain('nubmbers')
  })

  it('types comma-separated String params as lists and leaves other strings alone', () => {
    const info = catalog['taobao.tbk.item.info.get']!
    expect(info.params.find((p) => p.name === 'num_iids')!.kind).toBe('string-list')
    expect(info.params.find((p) => p.name === 'ip')!.kind).toBe('string')
  })

  it('retries reads and never writes', () => {
    const expected: Record<string, boolean> = {
      'taobao.tbk.item.info.get': true,
      'taobao.tbk.order.details.get': true,
      'taobao.tbk.dg.material.optional.upgrade': true,
      'taobao.tbk.relation.refund': true,
      'taobao.tbk.tpwd.convert': true,
      'taobao.tbk.dg.vegas.tlj.create': false,
      'taobao.tbk.dg.vegas.tlj.stop': false,
      'taobao.tbk.adzone.create': false,
      'taobao.tbk.sc.publisher.info.save': false,
      'taobao.tbk.sc.ucrowd.delete': false,
      'taobao.tbk.data.report': false,
      'taobao.tbk.sc.pic.embed': false,
    }
    for (const [method, safe] of Object.entries(expected)) expect(catalog[method]!.safe, method).toBe(safe)
    const writes = /\.(create|save|upload|add|delete|update|stop|record|bind|launch)$/
    for (const meta of Object.values(catalog)) if (writes.test(meta.method)) expect(meta.safe, meta.method).toBe(false)
  })

  it('flags the Qimen API and only it', () => {
    const flagged = Object.values(catalog).filter((m) => m.qimen).map((m) => m.method)
    expect(flagged).toEqual(['qimen.taobao.tbk.item.rule.get'])
  })
})

describe('paging metadata', () => {
  it('describes the order report cursor', () => {
    expect(catalog['taobao.tbk.order.details.get']!.paging).toEqual({
      style: 'cursor',
      cursorParam: 'position_index',
      sizeParam: 'page_size',
      pageParam: 'page_no',
      jumpParam: 'jump_type',
      hasNext: ['data', 'has_next'],
      nextCursor: ['data', 'position_index'],
      items: ['data', 'results'],
    })
  })

  it('describes numbered pages of the material search', () => {
    expect(catalog['taobao.tbk.dg.material.optional.upgrade']!.paging).toEqual({
      style: 'page',
      pageParam: 'page_no',
      sizeParam: 'page_size',
      items: ['result_list'],
      total: ['total_results'],
    })
  })

  it('points only at documented params and result fields', () => {
    const paged = Object.values(catalog).filter((m): m is ApiMeta & { paging: NonNullable<ApiMeta['paging']> } => !!m.paging)
    expect(paged.length).toBeGreaterThan(20)
    for (const meta of paged) {
      const spec = specs.find((s) => s.method === meta.method)!
      const p = meta.paging
      const params = [p.pageParam, p.sizeParam, p.style === 'cursor' ? p.cursorParam : undefined, p.style === 'cursor' ? p.jumpParam : undefined]
      for (const name of params.filter((n) => n !== undefined)) expect(spec.request.map((r) => r.name), `${meta.method} ${name}`).toContain(name)
      expect(fieldAt(spec.response, p.items)?.type, `${meta.method} items`).toMatch(/\[\]\s*$/)
      const flags = p.style === 'cursor' ? [p.hasNext, p.nextCursor] : [p.hasNext, p.total]
      for (const path of flags.filter((f) => f !== undefined)) expect(fieldAt(spec.response, path), `${meta.method} ${path.join('.')}`).toBeDefined()
    }
  })

  it('is absent where a method has no page params', () => {
    expect(catalog['taobao.tbk.tpwd.create']!.paging).toBeUndefined()
    expect(catalog['taobao.tbk.item.info.get']!.paging).toBeUndefined()
  })
})

describe('codegen', () => {
  it('is up to date (--check) and deterministic', async () => {
    execFileSync(process.execPath, [join(PACKAGE, 'scripts', 'codegen.mjs'), '--check'], { stdio: 'pipe' })
    const { generate } = await generator('generate')
    const options = { specDir: SPEC, packageDir: PACKAGE, repoDir: join(PACKAGE, '..', '..') }
    const first = generate(options) as Map<string, string>
    const second = generate(options) as Map<string, string>
    expect([...second]).toEqual([...first])
    for (const [path, text] of first) expect(readFileSync(path, 'utf8'), path).toBe(text)
  }, 60_000)

  it('says each object shape once: at most 2 % of generated interfaces repeat another\'s members', () => {
    const text = readFileSync(join(PACKAGE, 'src', 'generated', 'types.ts'), 'utf8')
    const shapes = new Map<string, string[]>()
    for (const [, name, body] of text.matchAll(/export interface (\w+) \{\n([\s\S]*?)\n\}/g)) {
      if (name === 'TopApiMap') continue
      // The members alone: docs stripped, one member per line.
      const shape = body!.replace(/\/\*\*[\s\S]*?\*\//g, '').split('\n').map((line) => line.trim()).filter(Boolean).join(';')
      shapes.set(shape, [...(shapes.get(shape) ?? []), name!])
    }
    const interfaces = [...shapes.values()].flat().length
    const repeats = [...shapes.values()].filter((names) => names.length > 1)
    expect(interfaces).toBeGreaterThan(300)
    expect(repeats.reduce((n, names) => n + names.length - 1, 0) / interfaces, JSON.stringify(repeats.slice(0, 5))).toBeLessThanOrEqual(0.02)
    // Twin methods keep their own named (and documented) types, as empty interfaces extending the shared shape:
    // not aliases, which TypeScript would show by the other method's name (issue 26).
    expect(text).toMatch(/\/\*\*[\s\S]*?@see https:\/\/open\.taobao\.com[^\n]*\n \*\/\nexport interface Tbk\w+Params extends Tbk\w+Params \{\}\n/)
    expect(text).not.toMatch(/^export type Tbk\w+(Params|Result) = /m)
  })

  it('marks generated files do-not-edit', () => {
    for (const file of ['catalog.ts', 'types.ts']) {
      expect(readFileSync(join(PACKAGE, 'src', 'generated', file), 'utf8')).toMatch(/^\/\/ DO NOT EDIT/)
    }
  })

  it('fails loudly on a type it does not understand', async () => {
    const { paramKind } = await generator('types-of-spec')
    expect(paramKind({ type: 'LkItemDTO []', description: '' }, 'x')).toBe('json')
    for (const type of ['Long', 'Map<String,String>', 'int', 'Boolean[]', 'String [] []']) {
      expect(() => paramKind({ type, description: '' }, 'where'), type).toThrow(/not understood|has no kind/)
    }
  })

  it('refuses an object type with no documented fields unless it is a listed opaque type', async () => {
    const { loadCatalog } = await generator('spec')
    const dir = join(scratch, 'typo')
    cpSync(SPEC, dir, { recursive: true })
    const file = join(dir, 'apis', 'taobao.tbk.tpwd.create.json')
    const api = JSON.parse(readFileSync(file, 'utf8'))
    api.request[0].type = 'Strng'
    rmSync(file, { force: true })
    writeFileSync(file, JSON.stringify(api))
    expect(() => loadCatalog(dir)).toThrow(/taobao\.tbk\.tpwd\.create request\.url: object type "Strng" has no documented fields/)
  }, 60_000)

  it('asks for a reviewed patch when a verb is neither a read nor a write', async () => {
    const { isSafe } = await generator('safety')
    expect(() => isSafe({ method: 'taobao.tbk.some.frobnicate' })).toThrow(/add a "safe" patch/)
    expect(isSafe({ method: 'taobao.tbk.some.frobnicate', safeOverride: false })).toBe(false)
  })

  it('rejects stale or unexplained patches', async () => {
    const { loadCatalog } = await generator('spec')
    const dir = join(scratch, 'spec')
    cpSync(SPEC, dir, { recursive: true })
    const reviewed = JSON.parse(readFileSync(join(SPEC, 'patches.json'), 'utf8')) as { patches: object[] }
    const attempt = (patch: object) => {
      writeFileSync(join(dir, 'patches.json'), JSON.stringify({ ...reviewed, patches: [...reviewed.patches, patch] }))
      return () => loadCatalog(dir)
    }
    expect(attempt({ method: 'taobao.tbk.no.such', safe: true, reason: 'a method that does not exist' })).toThrow(/no such method/)
    expect(attempt({ method: 'taobao.tbk.tpwd.create', safe: true })).toThrow(/needs a reason/)
    expect(attempt({ method: 'taobao.tbk.tpwd.create', request: 'nope', set: { type: 'String' }, reason: 'a field that is not there' })).toThrow(/no field "nope"/)
    expect(attempt({ method: 'taobao.tbk.tpwd.create', request: 'url', set: { type: 'String' }, reason: 'sets what is already there' })).toThrow(/already is/)
    expect(attempt({ method: 'taobao.tbk.tpwd.create', request: 'url', set: { type: 'Number' }, reason: 'a valid patch for the test' })()).toHaveLength(specs.length)
  }, 60_000)

  it('types a JSON-text field (token_result) as the string it is on the wire, listing its inner fields', async () => {
    const { loadCatalog } = await generator('spec')
    const create = loadCatalog(SPEC).find((api: { method: string }) => api.method === 'taobao.top.auth.token.create')
    const tokenResult = create.response.find((f: { name: string }) => f.name === 'token_result')
    expect(tokenResult.type).toBe('String')
    expect(tokenResult.children).toEqual([])
    expect(tokenResult.description).toMatch(/JSON text; fields: access_token, .*taobao_user_nick/)
    const dir = join(scratch, 'json-text')
    cpSync(SPEC, dir, { recursive: true })
    const reviewed = JSON.parse(readFileSync(join(SPEC, 'patches.json'), 'utf8')) as { patches: object[] }
    writeFileSync(join(dir, 'patches.json'), JSON.stringify({ ...reviewed, patches: [...reviewed.patches, { method: 'taobao.tbk.tpwd.create', request: 'url', jsonText: true, reason: 'url has no inner fields' }] }))
    expect(() => loadCatalog(dir)).toThrow(/jsonText needs a String field with documented inner fields/)
  }, 60_000)

  it('--check exits non-zero and names the stale file', () => {
    const dir = join(scratch, 'stale')
    cpSync(join(PACKAGE, 'scripts'), join(dir, 'packages', 'core', 'scripts'), { recursive: true })
    cpSync(SPEC, join(dir, 'packages', 'core', 'spec'), { recursive: true })
    cpSync(join(PACKAGE, 'src', 'generated'), join(dir, 'packages', 'core', 'src', 'generated'), { recursive: true })
    cpSync(join(PACKAGE, '..', '..', 'README.md'), join(dir, 'README.md'))
    const script = join(dir, 'packages', 'core', 'scripts', 'codegen.mjs')
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })
    writeFileSync(join(dir, 'packages', 'core', 'src', 'generated', 'catalog.ts'), '// edited by hand\n')
    let failure: { status?: number; stderr?: Buffer } = {}
    try {
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })
    } catch (error) {
      failure = error as typeof failure
    }
    expect(failure.status).toBe(1)
    expect(String(failure.stderr)).toMatch(/stale[\s\S]*packages\/core\/src\/generated\/catalog\.ts/)
    execFileSync(process.execPath, [script], { stdio: 'pipe' })
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })
  }, 60_000)
})
