import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): Playwright's own download cannot reach its CDN here. */
export const CHROMIUM = process.env.TBK_CHROMIUM ?? '/usr/bin/chromium'

/** Where browser tests leave screenshots (git-ignored; CI keeps it as an artifact). */
export const TEST_OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url))

/** Headless Chromium; a missing browser fails the test with what to install (never a skip: CI must run it). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei (or set TBK_CHROMIUM)`)
  await mkdir(TEST_OUTPUT, { recursive: true })
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 60_000 })
}
