// `adapt-lab`: the headless command over the engine, for servers, CI and tests. Its output formats are a public
// contract. Problems the user can fix exit with code 2 and one line on stderr; `--debug` adds the stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isUserError, UserError } from '../engine/errors';
import { asStorageError, errnoCode } from '../engine/fs/storage-error';
import { commands } from './commands';

const USAGE = `adapt-lab — compare fine-tuning, prompting and distillation of language models

Usage: adapt-lab <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Every command accepts --debug (stack traces) and --help.
Environment: ADAPT_LAB_BACKEND=node|wasm|cpu forces a compute backend; ADAPT_LAB_THREADS=N sets wasm threads;
HF_HOME / HF_HUB_CACHE locate the Hugging Face cache; HF_HUB_OFFLINE=1 never downloads.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) throw new UserError(`unknown command "${name}"`, {}, `Run \`adapt-lab --help\` for the list of commands.`);
  const options: ParseArgsConfig['options'] = { ...command.options, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError((e as Error).message.split('\n')[0], { field: name }, `Run \`adapt-lab ${name} --help\` for its options.`);
  }
  if (parsed.values.help) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  return command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (caught: unknown) => {
    // A full disk or a read-only file system is the user's to fix even where no layer has said what the folder is
    // for. (EACCES is left alone here: it may come from a read, which the layers that read report themselves.)
    const path = (caught as NodeJS.ErrnoException | null)?.path;
    const refused = ['ENOSPC', 'EDQUOT', 'EROFS'].includes(errnoCode(caught) ?? '') && typeof path === 'string';
    const e = refused ? asStorageError(caught, path) : caught;
    if (isUserError(e)) {
      process.stderr.write(`adapt-lab: ${e.format()}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 2;
    } else {
      // A bug, not the user's input: say so plainly, keep the trace for the report.
      process.stderr.write(`adapt-lab: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.stderr.write(debug ? `${(e as Error)?.stack}\n` : 'Run again with --debug for the stack trace, and please report it.\n');
      process.exitCode = 1;
    }
  },
);
