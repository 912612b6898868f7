/**
 * What the gateway's error codes mean and what to do about them, in English
 * and Chinese (PROTOCOL.md, "Errors"). `explainError` reads an error's
 * `code`, `subCode` and messages; `TopApiError.explanation` is its answer
 * for that error. Pure data and string matching: no I/O.
 */

/** One explanation: what happened and the fix, in English and Chinese. */
export interface ErrorExplanation {
  /** The code or sub_code explained (`25`, `isv.item-id-upgrade`…). */
  readonly code: string
  /** What the error means. */
  readonly meaning: string
  readonly meaningZh: string
  /** What to do. */
  readonly fix: string
  readonly fixZh: string
  /** How long a ban lasts, when the gateway said (code 7). */
  readonly banSeconds?: number
}

interface Entry {
  readonly codes: readonly string[]
  /** Also matched against sub_msg / msg. */
  readonly text?: RegExp
  readonly meaning: string
  readonly meaningZh: string
  readonly fix: string
  readonly fixZh: string
}

const ENTRIES: readonly Entry[] = [
  {
    codes: ['isv.item-id-upgrade', '-4003'],
    text: /升级后的新商品ID|新商品ID/,
    meaning: 'The item id is an old numeric id; the platform now wants the upgraded (new-style) item id.',
    meaningZh: '商品 ID 是旧的数字 ID，平台现在要求使用升级后的新商品 ID。',
    fix: 'Convert it with taobao.tbk.itemid.transform (tbk call taobao.tbk.itemid.transform …) and call again with the new id.',
    fixZh: '用 taobao.tbk.itemid.transform 转换（tbk call taobao.tbk.itemid.transform …），再用新 ID 重新调用。',
  },
  {
    codes: ['7', 'accesscontrol.limited-by.app.access.count', 'accesscontrol.limited-by.api.access.count'],
    meaning: 'Call limit reached: the app (every instance on the app key together) called too often and is banned for a while.',
    meaningZh: '触发调用频率限制：这个 AppKey（所有实例合计）调用过于频繁，被暂时封禁。',
    fix: 'Wait until the ban ends, then call more slowly: share one limiter across every instance (memoryLimiter, redisLimiter, durableLimiter; tbk --qps).',
    fixZh: '等封禁结束后放慢调用：所有实例共用一个限速器（memoryLimiter、redisLimiter、durableLimiter；tbk --qps）。',
  },
  {
    codes: ['11', 'isv.permission-api-package-limit', 'isv.permission-api-package-empty'],
    meaning: 'The app has no permission for this API: its API package is not granted, or the API is invite-only (邀约制).',
    meaningZh: '应用没有这个 API 的权限：未申请对应的 API 权限包，或这个 API 是邀约制的。',
    fix: 'Apply for the API in the Taobao Union / open platform console; invite-only APIs need the platform to invite your app.',
    fixZh: '在淘宝联盟 / 开放平台控制台申请该 API；邀约制 API 需要平台邀请你的应用。',
  },
  {
    codes: ['25', 'isv.invalid-signature'],
    meaning: 'Invalid signature: the gateway computed a different sign from the same params.',
    meaningZh: '签名无效：网关用同样的参数算出了不同的签名。',
    fix: 'Check the app secret and sign_method; compare the sign base string (params sorted by name, joined as keyvalue) with `tbk sign key=value …`.',
    fixZh: '检查 App Secret 和 sign_method；用 `tbk sign key=value …` 对照签名原文（参数按名称排序，按 keyvalue 拼接）。',
  },
  {
    codes: ['24', 'isv.missing-signature'],
    meaning: 'The request carried no sign.',
    meaningZh: '请求缺少 sign 参数。',
    fix: 'Sign every request (the client does this); a proxy may have dropped the field.',
    fixZh: '每个请求都要签名（客户端会自动签名）；可能是代理丢掉了这个字段。',
  },
  {
    codes: ['31', '30', 'isv.invalid-timestamp'],
    meaning: 'The timestamp was rejected: this machine\'s clock is more than 10 minutes off the gateway\'s (GMT+8).',
    meaningZh: '时间戳被拒绝：本机时钟与网关（GMT+8）相差超过 10 分钟。',
    fix: 'Sync the clock (NTP, e.g. `timedatectl set-ntp true`); `tbk doctor` measures the skew.',
    fixZh: '同步系统时钟（NTP，例如 `timedatectl set-ntp true`）；`tbk doctor` 会测量时钟偏差。',
  },
  {
    codes: ['26', 'isv.missing-session'],
    meaning: 'This API needs a user\'s authorization (session) and none was sent.',
    meaningZh: '这个 API 需要用户授权（session），但请求中没有。',
    fix: 'Log the user in with `tbk auth login` (or pass --session / TBK_SESSION).',
    fixZh: '用 `tbk auth login` 让用户授权（或传 --session / 设置 TBK_SESSION）。',
  },
  {
    codes: ['27', 'isv.invalid-sessionkey', 'invalid-sessionkey', 'isv.session-expired'],
    meaning: 'The session is invalid or expired.',
    meaningZh: 'session 无效或已过期。',
    fix: 'Refresh it with `tbk auth refresh`, or log in again with `tbk auth login`.',
    fixZh: '用 `tbk auth refresh` 刷新，或用 `tbk auth login` 重新授权。',
  },
  {
    codes: ['28', '29', 'isv.appkey-not-exists', 'isv.invalid-app-key'],
    meaning: 'The app key is missing or unknown to the gateway.',
    meaningZh: 'AppKey 缺失或网关不认识。',
    fix: 'Check app_key (`tbk config get app_key`) against the console.',
    fixZh: '对照控制台检查 app_key（`tbk config get app_key`）。',
  },
  {
    codes: ['22', '21', 'isv.invalid-method'],
    meaning: 'The method name is unknown to the gateway.',
    meaningZh: '网关不认识这个方法名。',
    fix: 'Check the spelling with `tbk apis`; `tbk describe <method>` shows one.',
    fixZh: '用 `tbk apis` 核对拼写；`tbk describe <method>` 查看某个方法。',
  },
  {
    codes: ['41', '40', 'isv.invalid-parameter', 'isv.missing-parameter'],
    meaning: 'A parameter is missing or malformed.',
    meaningZh: '参数缺失或格式不对。',
    fix: 'See the params, their types and limits with `tbk describe <method>`.',
    fixZh: '用 `tbk describe <method>` 查看参数、类型和限制。',
  },
  {
    codes: ['15', 'isp.remote-service-error'],
    meaning: 'The API\'s own service reported an error; its sub_code and sub_msg say which.',
    meaningZh: 'API 自身的服务报告了错误；具体原因见 sub_code 和 sub_msg。',
    fix: 'Read sub_code / sub_msg (`tbk explain <sub_code>`); retry only reads.',
    fixZh: '查看 sub_code / sub_msg（`tbk explain <sub_code>`）；只重试读操作。',
  },
]

// Built on first use: a top-level loop would be a side effect that keeps the tables in every bundle.
let byCode: Map<string, Entry> | undefined
function codeIndex(): Map<string, Entry> {
  if (!byCode) {
    byCode = new Map()
    for (const entry of ENTRIES) for (const code of entry.codes) if (!byCode.has(code)) byCode.set(code, entry)
  }
  return byCode
}

function explanation(entry: Entry, code: string, banSeconds?: number): ErrorExplanation {
  const { meaning, meaningZh, fix, fixZh } = entry
  return banSeconds === undefined ? { code, meaning, meaningZh, fix, fixZh } : { code, meaning, meaningZh, fix, fixZh, banSeconds }
}

/** The explanation of one code (`25`) or sub_code (`isv.invalid-signature`, `-4003`); undefined when unknown. */
export function explainCode(code: string | number): ErrorExplanation | undefined {
  const key = String(code).trim()
  const entry = codeIndex().get(key) ?? codeIndex().get(key.toLowerCase())
  return entry && explanation(entry, key)
}

/** The codes `explainCode` knows. */
export function explainedCodes(): string[] {
  return [...codeIndex().keys()]
}

const BAN_SECONDS = /(\d+)\s*more\s*seconds?|剩余\s*(\d+)\s*秒|(\d+)\s*秒/i

/**
 * What an error from the gateway means and what to do: by its messages
 * first (the item-id upgrade comes as a generic invalid-parameter sub_code
 * with a telling sub_msg), then its sub_code, then its code.
 * Reads the fields of a `TopApiError` (`code`, `subCode`, `msg`,
 * `subMsg`); anything else gets undefined.
 */
export function explainError(error: unknown): ErrorExplanation | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const e = error as { code?: unknown; subCode?: unknown; msg?: unknown; subMsg?: unknown }
  if (typeof e.code !== 'number' && typeof e.code !== 'string') return undefined
  const subCode = typeof e.subCode === 'string' ? e.subCode : undefined
  const text = [e.subMsg, e.msg].filter((t): t is string => typeof t === 'string').join(' ')
  const ban = BAN_SECONDS.exec(text)
  const banSeconds = ban ? Number(ban[1] ?? ban[2] ?? ban[3]) : undefined
  const byText = ENTRIES.find((entry) => entry.text?.test(text))
  if (byText) return explanation(byText, subCode ?? String(e.code))
  if (subCode !== undefined) {
    const entry = codeIndex().get(subCode) ?? codeIndex().get(subCode.replace(/^isv\.|^isp\./, ''))
    if (entry) return explanation(entry, subCode, entry.codes.includes('7') ? banSeconds : undefined)
  }
  const entry = codeIndex().get(String(e.code))
  if (entry) return explanation(entry, String(e.code), String(e.code) === '7' ? banSeconds : undefined)
  if (subCode?.startsWith('accesscontrol.')) return explanation(codeIndex().get('7')!, subCode, banSeconds)
  return undefined
}
