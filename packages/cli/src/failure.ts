import { paintFor } from './colour.js'
import {
  TopAbortError,
  TopApiError,
  TopAuthError,
  TopPermissionError,
  TopParamError,
  TopRateLimitError,
  TopSignatureError,
  TopTransportError,
  TopValidationError,
} from '@tbkit/core'
import { CliError } from './cli-error.js'
import { cliWordingOf } from './cli-wording.js'
import { endpointHint } from './endpoint-check.js'
import { listenFailure } from './listen-failure.js'
import { neutralise, neutraliseLines } from './terminal-text.js'
import { EXIT } from './exit-codes.js'
import type { CliIo } from './io.js'
import { scrubSecrets } from './secrets.js'
import { REFRESH_HINT, SessionExpiredError } from './auth/stored-session.js'
import { UsageError } from './usage-error.js'

interface Failure {
  readonly code: number
  readonly message: string
  readonly hint?: string | undefined
}

/**
 * Report a failure as one clear line on stderr (plus a hint), and pick its
 * exit code. Messages carry gateway text (msg, sub_msg, request_id): control
 * and bidi characters in them are shown escaped, never acted on.
 */
export function reportFailure(error: unknown, io: CliIo, debug: boolean): number {
  const failure = describeFailure(error)
  const paint = paintFor(io.stderr, io.env)
  let text = `${paint.red('tbk:')} ${neutralise(failure.message)}\n`
  if (failure.hint) text += `${paint.yellow('hint:')} ${neutralise(failure.hint)}\n`
  if (debug && error instanceof Error && error.stack) {
    text += `${neutraliseLines(error.stack.replace(error.message, neutralise(error.message)))}\n`
  }
  io.stderr.write(scrubSecrets(text))
  return failure.code
}

export function exitCodeOf(error: unknown): number {
  return describeFailure(error).code
}

function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { code: EXIT.usage, message: error.message, hint: error.hint ?? 'see --help' }
  if (error instanceof CliError) return { code: error.exitCode, message: error.message, hint: error.hint }
  if (error instanceof TopValidationError) {
    const worded = cliWordingOf(error)
    return { code: worded?.code ?? EXIT.validation, message: worded?.message ?? error.message, hint: worded?.hint ?? validationHint(error) }
  }
  if (error instanceof TopApiError) {
    const requestId = error.requestId ? ` (request_id ${error.requestId})` : ''
    return { code: EXIT.api, message: `${error.message}${requestId}`, hint: apiHint(error) }
  }
  if (error instanceof TopTransportError) {
    return {
      code: EXIT.network,
      message: error.message,
      hint: endpointHint(error) ?? 'check --endpoint / TBK_ENDPOINT and your connection; --timeout raises the limit',
    }
  }
  if (error instanceof TopAbortError) return { code: EXIT.interrupted, message: 'interrupted' }
  const listen = listenFailure(error)
  if (listen) return listen
  const message = error instanceof Error ? error.message : String(error)
  return { code: EXIT.unexpected, message: `unexpected error: ${message}`, hint: 'run again with --debug for details' }
}

function validationHint(error: TopValidationError): string | undefined {
  if (error instanceof SessionExpiredError) return REFRESH_HINT
  if (error.param === 'session') return 'run `tbk auth login` (or pass --session / set TBK_SESSION)'
  if (error.method) return `see the params with: tbk describe ${error.method}`
  return undefined
}

function apiHint(error: TopApiError): string {
  const explained = error.explanation
  // The session hint knows the stored session (refresh or log in again); the explanation's pointer follows it.
  if (error instanceof TopAuthError && (error.code === 26 || error.code === 27)) return `the session is missing, invalid or expired: ${REFRESH_HINT} — tbk explain ${error.code}`
  if (explained) return `${explained.meaning} ${explained.fix}${explained.banSeconds !== undefined ? ` (ban: ${explained.banSeconds} s)` : ''} — tbk explain ${explained.code}`
  if (error instanceof TopSignatureError) {
    return error.code === 30 || error.code === 31
      ? "the gateway rejected the timestamp: check this machine's clock"
      : 'check the app secret and --sign-method; tbk sign key=value … shows the canonical string and signature'
  }
  if (error instanceof TopAuthError && (error.code === 26 || error.code === 27)) return `the session is missing, invalid or expired: ${REFRESH_HINT}`
  if (error instanceof TopAuthError) return 'the app key or the session is missing, invalid or expired: check credentials or re-authorize'
  if (error instanceof TopPermissionError) return 'the app or the user lacks permission for this API'
  if (error instanceof TopRateLimitError) return 'throttled by the gateway: wait and retry'
  if (error instanceof TopParamError && error.method) return `check the params: tbk describe ${error.method}`
  return 'the gateway reported an error; sub_code and sub_msg say why'
}
