import { canonicalString, encodeParams, REDACTED, SIGN_METHODS, signCanonical, TopValidationError, type SignMethod } from '@tbkit/core'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import { collectParams } from '../param-args.js'
import { registerSecret } from '../secrets.js'
import { resolveSettings } from '../settings.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...CREDENTIAL_FLAGS, ...OUTPUT_FLAGS, params: { type: 'string' }, 'secret-from-env': { type: 'boolean' } },
  help: `Usage: tbk sign [key=value …] [--params FILE] [--sign-method M] [--secret-from-env]

Print the canonical string TOP signs and the signature, for the params you give
(system params included: method, app_key, timestamp, v, format, sign_method…).
The tool for "25 Invalid signature": paste the params of the failing request,
include its sign=…, and tbk says whether it matches (exit 3 when it does not).

The secret comes from TBK_APP_SECRET (--secret-from-env: only from there), else
the profile, else --app-secret (avoid: shell history). It is never printed. The
sign method is --sign-method, else the sign_method param, else the profile,
else hmac-sha256. A session value is redacted in the printed canonical string
(the signature is computed with the real one).

Examples:
  tbk sign method=taobao.tbk.tpwd.create app_key=12345678 timestamp="2024-05-01 12:00:00" \\
    v=2.0 format=json sign_method=hmac-sha256 url='https://s.click.taobao.com/t?e=abc'
  tbk sign --params failing-request.json --secret-from-env
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args)
    const { fields } = encodeParams(await collectParams(args.positionals, stringFlag(args, 'params'), io, undefined))
    if (Object.keys(fields).length === 0) throw new UsageError('give the params to sign: tbk sign key=value …')
    const { secret, profileSignMethod } = await secretFor(args, io)
    const method = signMethodFor(args, fields.sign_method, profileSignMethod)
    if (fields.sign_method !== undefined && fields.sign_method !== method) {
      io.stderr.write(`tbk: warning: signing with ${method}, but the params say sign_method=${neutralise(fields.sign_method)}\n`)
    }
    const canonical = canonicalString(fields)
    const signature = await signCanonical(canonical, secret, method)
    const given = fields.sign
    const matches = given === undefined ? undefined : given.toUpperCase() === signature
    const shown = fields.session ? canonical.replace(`session${fields.session}`, `session${REDACTED}`) : canonical
    // A sign that does not match is the answer the user came for, and a failure for scripts: exit 3.
    const code = matches === false ? EXIT.validation : EXIT.ok
    if (format === 'json') {
      await writeText(io.stdout, renderJson({ canonical: shown, signMethod: method, sign: signature, matches }, io.stdout.isTTY === true))
      return code
    }
    // The canonical string holds whatever was pasted: shown with control characters escaped.
    let text = `canonical string${fields.session ? ' (session redacted)' : ''}:\n${neutralise(shown)}\nsign_method: ${method}\nsign: ${signature}\n`
    if (matches === true) text += 'the given sign matches\n'
    if (matches === false) {
      text += `the given sign does NOT match (given ${neutralise(given ?? '')}); check the secret, the sign method and that every sent param is listed\n`
    }
    await writeText(io.stdout, text)
    return code
  },
}

async function secretFor(args: ParsedArgs, io: CliIo): Promise<{ secret: string; profileSignMethod?: string | undefined }> {
  if (booleanFlag(args, 'secret-from-env')) {
    const secret = io.env.TBK_APP_SECRET
    if (!secret) throw new TopValidationError('--secret-from-env: TBK_APP_SECRET is not set', { param: 'app_secret' })
    registerSecret(secret)
    return { secret }
  }
  const settings = await resolveSettings(args, io)
  if (!settings.appSecret) {
    throw new TopValidationError('no app secret: set TBK_APP_SECRET or run `tbk config set app_secret` (reads stdin)', { param: 'app_secret' })
  }
  return { secret: settings.appSecret, profileSignMethod: settings.signMethod }
}

function signMethodFor(args: ParsedArgs, fromParams: string | undefined, fromSettings: string | undefined): SignMethod {
  const method = stringFlag(args, 'sign-method') ?? fromParams ?? fromSettings ?? 'hmac-sha256'
  if (!(SIGN_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`sign method must be one of ${SIGN_METHODS.join(', ')}, got ${JSON.stringify(method)}`)
  }
  return method as SignMethod
}
