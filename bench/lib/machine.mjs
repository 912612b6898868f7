import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os'
import { REPO_ROOT } from './paths.mjs'

function git(args) {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}

/** What the figures were measured on: they mean little without it. */
export function describeMachine() {
  const cores = cpus()
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${platform()} ${release()} ${arch()}`,
    cpuModel: cores[0]?.model?.trim() ?? 'unknown',
    cpuCount: cores.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  }
}

export function describeSource() {
  const commit = git(['rev-parse', '--short', 'HEAD'])
  const dirty = git(['status', '--porcelain', '--untracked-files=no'])
  return { commit, uncommittedChanges: dirty === undefined ? undefined : dirty !== '' }
}
