import { randomBytes } from 'node:crypto'
import { authorizeUrl, TopValidationError, type AuthorizeView, type TopSession } from '@tbkit/core'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { listenForCallback, parseRedirectUri } from '../auth/callback-server.js'
import { canOpenBrowser, openBrowser } from '../auth/open-browser.js'
import { clearSession, platformTime, readStoredSession, storeSession } from '../auth/stored-session.js'
import { createCliClient } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, OUTPUT_FLAGS, type Command } from '../command.js'
import { parsePositiveDuration } from '../duration.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import { profileName, requireCredentials, resolveSettings, type Settings } from '../settings.js'
import { closest } from '../suggest.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'

const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8765/callback'
const DEFAULT_WAIT = '5m'
/** The longest --wait: 30 days (an authorization a user may give over a long weekend, or a month later); longer is a typo. */
const MAX_WAIT = { ms: 30 * 86_400_000, text: '30 days (720h)' }
const ACTIONS = ['login', 'status', 'refresh', 'logout']

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    ...CREDENTIAL_FLAGS,
    ...OUTPUT_FLAGS,
    'redirect-uri': { type: 'string' },
    view: { type: 'string' },
    'no-open': { type: 'boolean' },
    wait: { type: 'string' },
    'authorize-url': { type: 'string' },
  },
  help: `Usage: tbk auth login | status | refresh | logout   [flags]

A Taobao user's authorization (授权, the "session") for the service-provider
(服务商 / sc) APIs, kept in the profile next to the app key (file mode 0600).

  login    print the authorize URL (and open it on a desktop), wait for the
           platform's redirect on a loopback callback, check its state, trade
           the code for a session (taobao.top.auth.token.create) and store the
           session, refresh token and their expiry in the profile
  status   who is logged in, and until when (exit 0 valid, 3 missing or expired)
  refresh  trade the stored refresh token for a fresh session (taobao.top.auth.token.refresh)
  logout   forget the stored session and refresh token

Flags (login):
  --redirect-uri URL   the callback registered for your app; must be a loopback
                       http URL tbk can listen on (env TBK_REDIRECT_URI;
                       default ${DEFAULT_REDIRECT_URI}; port 0 picks a free one)
  --view web|wap       the authorize page's layout (default web)
  --no-open            only print the URL (a browser is opened only on a desktop)
  --wait DURATION      how long to wait for the authorization (default ${DEFAULT_WAIT},
                       more than 0, at most ${MAX_WAIT.text})
  --authorize-url URL  env TBK_AUTHORIZE_URL; default https://oauth.taobao.com/authorize,
                       or the emulator's /authorize when --endpoint is a loopback emulator
  -o, --output json    the result as JSON (never the tokens)

A call to an API that needs the session, with the stored one expired, stops
before sending and says to run tbk auth refresh; so do errors 26/27.

${CREDENTIAL_HELP}

Examples:
  tbk auth login --redirect-uri http://127.0.0.1:8765/callback
  tbk auth status
  tbk auth refresh
  tbk auth logout --profile shop2
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [action, extra] = args.positionals
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
    switch (action) {
      case 'login':
        return login(args, io)
      case 'status':
        return status(args, io)
      case 'refresh':
        return refresh(args, io)
      case 'logout':
        return logout(args, io)
      default: {
        const guess = action ? closest(action, ACTIONS) : undefined
        throw new UsageError(action ? `unknown auth action "${action}"` : 'say what to do: tbk auth login|status|refresh|logout', guess ? `did you mean tbk auth ${guess}?` : undefined)
      }
    }
  },
}

/** Where the browser goes: a flag, the environment, the emulator next to a loopback endpoint, else the platform. */
function authorizeEndpoint(args: ParsedArgs, io: CliIo, settings: Settings): string | undefined {
  const given = stringFlag(args, 'authorize-url') ?? io.env.TBK_AUTHORIZE_URL
  if (given) return given
  if (!settings.endpoint) return undefined
  try {
    const endpoint = new URL(settings.endpoint)
    if (endpoint.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(endpoint.hostname)) return `${endpoint.origin}/authorize`
  } catch {
    // the client reports a bad endpoint
  }
  return undefined
}

function viewOf(args: ParsedArgs): AuthorizeView {
  const view = stringFlag(args, 'view') ?? 'web'
  if (view !== 'web' && view !== 'wap') throw new UsageError(`--view must be web or wap, got ${JSON.stringify(view)}`)
  return view
}

/** What login and refresh print: who, and until when (never a token). */
async function report(io: CliIo, args: ParsedArgs, profile: string, verb: string, session: TopSession): Promise<void> {
  if (outputFormat(args) === 'json') {
    const summary = { profile, userId: session.userId, userNick: session.userNick, expiresAt: session.expiresAt, refreshExpiresAt: session.refreshExpiresAt }
    await writeText(io.stdout, renderJson(summary, io.stdout.isTTY === true))
    return
  }
  // The nick and id come from the gateway: shown escaped, never acted on by the terminal.
  await writeText(
    io.stdout,
    `${verb} as ${neutralise(session.userNick) || '(no nick)'} (user id ${neutralise(session.userId)}) in profile "${neutralise(profile)}"\n` +
      `session valid until ${platformTime(session.expiresAt)}; refresh with \`tbk auth refresh\` until ${platformTime(session.refreshExpiresAt)}\n`,
  )
}

async function login(args: ParsedArgs, io: CliIo): Promise<number> {
  const settings = await resolveSettings(args, io)
  const { appKey } = requireCredentials(settings)
  const redirect = parseRedirectUri(stringFlag(args, 'redirect-uri') ?? io.env.TBK_REDIRECT_URI ?? DEFAULT_REDIRECT_URI)
  const view = viewOf(args)
  const waitMs = parsePositiveDuration(stringFlag(args, 'wait') ?? DEFAULT_WAIT, 'wait', MAX_WAIT)
  const state = randomBytes(16).toString('hex')
  const listener = await listenForCallback(redirect, state, waitMs, io.signal)
  try {
    const url = authorizeUrl({ appKey, redirectUri: listener.redirectUri, state, view, authorizeEndpoint: authorizeEndpoint(args, io, settings) })
    await writeText(io.stderr, `Open this URL in a browser and authorize app ${appKey} (授权):\n  ${url}\nWaiting for the callback on ${listener.redirectUri} …\n`)
    if (!booleanFlag(args, 'no-open') && canOpenBrowser(io.env, io.stdout.isTTY === true)) openBrowser(url)
    const callback = await listener.arrival
    const cli = await createCliClient(settings)
    try {
      let session: TopSession
      try {
        session = await cli.client.createSession(callback.code, { signal: io.signal })
      } catch (error) {
        callback.finish(false, 'tbk could not trade the authorization code for a session; the terminal says why.')
        throw error
      }
      await storeSession(io.env, settings.profile, session)
      callback.finish(true, `tbk is logged in as ${session.userNick}. You can close this window.`)
      await report(io, args, settings.profile, 'logged in', session)
      return EXIT.ok
    } finally {
      await cli.close()
    }
  } finally {
    await listener.close()
  }
}

async function status(args: ParsedArgs, io: CliIo): Promise<number> {
  const profile = profileName(args, io)
  const stored = await readStoredSession(io.env, profile)
  const now = Date.now()
  const state = !stored.session ? 'none' : stored.expiresAt !== undefined && stored.expiresAt <= now ? 'expired' : 'valid'
  const refreshable = stored.refreshToken !== undefined && (stored.refreshExpiresAt === undefined || stored.refreshExpiresAt > now)
  if (outputFormat(args) === 'json') {
    const summary = { profile, state, userId: stored.userId, userNick: stored.userNick, expiresAt: stored.expiresAt, refreshExpiresAt: stored.refreshExpiresAt, refreshable }
    await writeText(io.stdout, renderJson(summary, io.stdout.isTTY === true))
  } else {
    const lines = [`profile:  ${neutralise(profile)}`]
    if (state === 'none') lines.push('session:  none — run `tbk auth login`')
    else {
      if (stored.userId || stored.userNick) lines.push(`user:     ${neutralise(stored.userNick ?? '')} (user id ${neutralise(stored.userId ?? 'unknown')})`)
      const until = stored.expiresAt === undefined ? 'expiry unknown (not stored by tbk auth)' : platformTime(stored.expiresAt)
      lines.push(state === 'valid' ? `session:  valid until ${until}` : `session:  EXPIRED at ${until}`)
      if (stored.refreshExpiresAt !== undefined) {
        lines.push(`refresh:  ${refreshable ? 'possible until' : 'EXPIRED at'} ${platformTime(stored.refreshExpiresAt)}`)
      }
      if (state === 'expired') lines.push(refreshable ? 'next:     tbk auth refresh' : 'next:     tbk auth login')
    }
    await writeText(io.stdout, `${lines.join('\n')}\n`)
  }
  return state === 'valid' ? EXIT.ok : EXIT.validation
}

async function refresh(args: ParsedArgs, io: CliIo): Promise<number> {
  const settings = await resolveSettings(args, io)
  const stored = await readStoredSession(io.env, settings.profile)
  if (!stored.refreshToken) {
    throw new TopValidationError(`profile "${settings.profile}" has no refresh token: run \`tbk auth login\``, { param: 'refresh_token' })
  }
  if (stored.refreshExpiresAt !== undefined && stored.refreshExpiresAt <= Date.now()) {
    throw new TopValidationError(`the refresh token of profile "${settings.profile}" expired at ${platformTime(stored.refreshExpiresAt)}: run \`tbk auth login\``, {
      param: 'refresh_token',
    })
  }
  const cli = await createCliClient(settings)
  try {
    const session = await cli.client.refreshSession(stored.refreshToken, { signal: io.signal })
    await storeSession(io.env, settings.profile, session)
    await report(io, args, settings.profile, 'refreshed', session)
    return EXIT.ok
  } finally {
    await cli.close()
  }
}

async function logout(args: ParsedArgs, io: CliIo): Promise<number> {
  const profile = profileName(args, io)
  const had = await clearSession(io.env, profile)
  await writeText(io.stdout, had ? `logged out: profile "${profile}" no longer holds a session\n` : `profile "${profile}" held no session\n`)
  return EXIT.ok
}
