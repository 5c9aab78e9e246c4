// The command line of every command the README documents (`npm start`, `npm test`, the benchmarks,
// `verify-log`, `trace:import`), read the same way: `--help` prints the usage and every option and
// exits 0; an unknown option, a malformed value or a stray argument ends the command with one line
// on stderr and exit 2 — what a person mistyping an option needs, not a stack trace.
import { parseArgs } from 'node:util';

/** Ends the command with one line naming what was wrong (exit 2: a usage error, as POSIX tools do). */
export function refuse(command, message) {
  process.stderr.write(`${command}: ${message} (--help lists the options)\n`);
  process.exit(2);
}

function usage(spec, options) {
  const shown = Object.entries(options).map(([name, option]) => {
    const left = `  --${name}${option.type === 'boolean' ? '' : ` ${option.value ?? (option.type === 'number' ? 'N' : 'VALUE')}`}`;
    const fallback = option.default === undefined || option.type === 'boolean' ? '' : ` (default ${option.default})`;
    return [left, `${option.description}${fallback}`];
  });
  const width = Math.max(...shown.map(([left]) => left.length)) + 2;
  const after = [spec.arguments, Object.keys(spec.options).length ? '[options]' : ''].filter(Boolean).join(' ');
  const lines = [`Usage: ${spec.command}${after ? ` -- ${after}` : ''}`, '', spec.summary, ''];
  for (const [left, right] of shown) lines.push(`${left.padEnd(width)}${right}`);
  if (spec.notes) lines.push('', spec.notes);
  return `${lines.join('\n')}\n`;
}

/**
 * Reads `args` (the process's own by default) against `spec`: { command, summary, options, arguments?,
 * positionals?: { min, max }, notes? }. Options are `string`, `boolean` or `number` (a finite number
 * ≥ `min`, 0 unless given); each has a `description` and may have a `default` and a `value` name.
 */
export function parseCommandLine(spec, args = process.argv.slice(2)) {
  const options = { ...spec.options, help: { type: 'boolean', description: 'print this help and exit' } };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: (spec.positionals?.max ?? 0) > 0,
      options: Object.fromEntries(Object.entries(options).map(([name, option]) => [name, { type: option.type === 'boolean' ? 'boolean' : 'string' }])),
    });
  } catch (error) {
    refuse(spec.command, error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '') : String(error));
  }
  if (parsed.values.help) {
    process.stdout.write(usage(spec, options));
    process.exit(0);
  }
  const { min = 0, max = 0 } = spec.positionals ?? {};
  if (parsed.positionals.length < min) refuse(spec.command, `missing ${spec.arguments ?? 'argument'}`);
  if (parsed.positionals.length > max) refuse(spec.command, `unexpected argument '${parsed.positionals[max]}'`);
  const values = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed.values[name];
    if (option.type !== 'number') values[name] = given ?? option.default;
    else if (given === undefined) values[name] = option.default;
    else {
      const value = Number(given);
      if (given.trim() === '' || !Number.isFinite(value) || value < (option.min ?? 0)) refuse(spec.command, `--${name} must be a number ≥ ${option.min ?? 0}, not '${given}'`);
      values[name] = value;
    }
  }
  return { values, positionals: parsed.positionals };
}
