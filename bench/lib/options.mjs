/**
 * Command-line options shared by `run.mjs` and every section script:
 * `--quick` (a fast, rougher pass) and `--only a,b` (run.mjs only).
 */
export function parseOptions(argv = process.argv.slice(2)) {
  const options = { quick: false, only: undefined, json: false, verbose: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--quick') options.quick = true
    else if (arg === '--json') options.json = true
    else if (arg === '--verbose') options.verbose = true
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',').filter(Boolean)
    else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length).split(',').filter(Boolean)
    else if (arg === '--help' || arg === '-h') options.help = true
    else throw new Error(`unknown option ${JSON.stringify(arg)} (try --help)`)
  }
  return options
}

/** A figure that depends on --quick: `pick(options, { full: 5, quick: 2 })`. */
export function pick(options, choices) {
  return options.quick ? choices.quick : choices.full
}
