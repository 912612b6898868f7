// JSDoc text from the catalog's (mostly Chinese) descriptions.

const DEPRECATED_FIELD = /已废弃|已下线|字段废弃|字段不再支持|请勿再用|请勿传入/

const ROLE_NAMES = {
  promoter: 'promoter (推广者)',
  'service-provider': 'service provider (服务商)',
  public: 'public (公用)',
  other: 'other',
}

const SESSION_TEXT = {
  required: 'required: pass the user\'s authorization `session`',
  optional: 'optional: sent when the client has one',
  none: 'not used',
  unknown: 'not documented: sent when the client has one',
}

function clean(text) {
  return String(text ?? '').replace(/\*\//g, '*\\/').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim()
}

/** A JSDoc block from lines (empty lines keep paragraph breaks), indented. */
export function block(lines, indent = '') {
  const body = lines.flatMap((line) => clean(line).split('\n')).map((l) => l.trimEnd())
  while (body.length > 0 && body[body.length - 1] === '') body.pop()
  if (body.length === 0) return []
  if (body.length === 1) return [`${indent}/** ${body[0]} */`]
  return [`${indent}/**`, ...body.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`]
}

export function docLink(docId) {
  return docId ? `https://open.taobao.com/api.htm?docId=${docId}&docType=2` : undefined
}

export function methodDoc(api, safe) {
  const lines = [api.title]
  if (api.description) lines.push('', api.description)
  lines.push('', `Role: ${ROLE_NAMES[api.role] ?? api.role}. Session: ${SESSION_TEXT[api.session]}.`)
  lines.push(safe ? 'Safe to repeat: retried automatically on transient faults.' : 'Not safe to repeat (a write): never retried automatically.')
  if (api.method.startsWith('qimen.')) {
    lines.push('', '**Qimen API**: served by the Qimen gateway, not `/router/rest`; the default endpoint will not answer it. Point the client at a Qimen endpoint to call it.')
  }
  if (api.confidence !== 'doc') {
    lines.push('', `Catalog confidence: ${api.confidence} (params and result fields may be incomplete; see spec/apis/${api.method}.json).`)
  }
  if (/^Retired API/.test(api.notes ?? '')) lines.push('@deprecated Retired by the platform.')
  const link = docLink(api.docId)
  if (link) lines.push(`@see ${link}`)
  return lines
}

export function fieldDoc(field) {
  const lines = []
  if (field.description) lines.push(field.description)
  if (field.limits) lines.push(`Limits: ${field.limits}`)
  if (field.example && field.example !== '-') lines.push(`@example ${field.example}`)
  if (field.default !== undefined && field.default !== null && field.default !== '') lines.push(`@defaultValue ${field.default}`)
  if (DEPRECATED_FIELD.test(field.description ?? '')) lines.push('@deprecated See the description.')
  return lines
}
