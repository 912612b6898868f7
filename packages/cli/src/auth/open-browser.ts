import { spawn } from 'node:child_process'

/**
 * Whether opening a browser makes sense: a desktop session, an interactive
 * terminal, not CI. Tests and servers get the printed URL only.
 */
export function canOpenBrowser(env: Readonly<Record<string, string | undefined>>, interactive: boolean): boolean {
  if (!interactive || env.CI || env.VITEST || env.TBK_NO_BROWSER) return false
  if (process.platform === 'darwin' || process.platform === 'win32') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/** Best effort: the URL is printed anyway, so a failure to open is ignored. */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]]
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // ignored: see above
  }
}
