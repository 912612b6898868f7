import type { Platform, TopHttpRequest, TopHttpResponse } from '../../src/index.js'

/**
 * A platform that keeps every request it is given and answers each with
 * `answer` (by default a plain `{"ok":true}`), with no jitter in retries.
 */
export function recordingPlatform(answer: (request: TopHttpRequest) => TopHttpResponse | Promise<TopHttpResponse> = () => ({ status: 200, text: '{"ok":true}' })) {
  const requests: TopHttpRequest[] = []
  const platform: Platform = {
    random: () => 0,
    async send(request) {
      requests.push(request)
      return answer(request)
    },
  }
  return { platform, requests }
}
