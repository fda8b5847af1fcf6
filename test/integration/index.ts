// The extensionTestsPath module: VS Code (desktop through @vscode/test-electron, or code-server through the
// smoke-test driver) loads it in the extension host, with the extension under development already loaded,
// calls run() and exits with 0 when the promise resolves, 1 when it rejects.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * code-server's workbench passes everything it logs to the runner through one channel (codeAutomationLog), the
 * extension host's console among it. With ADAPT_LAB_HOST_LOG_PREFIX set, the mocha report's lines carry that
 * prefix, so the runner can print the report and send the rest to a log file. (Marking all console output is not
 * possible: the extension host makes the console methods read-only to forward them.)
 */
function markReport(prefix: string): void {
  const log = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (first?: unknown, ...rest: unknown[]) =>
    first === undefined ? log(prefix) : typeof first === 'string' ? log(prefix + first, ...rest) : log(prefix, first, ...rest);
}

export function run(): Promise<void> {
  if (process.env.ADAPT_LAB_HOST_LOG_PREFIX) markReport(process.env.ADAPT_LAB_HOST_LOG_PREFIX);
  // tdd: suites use `suite`/`test`, imported from 'mocha' (it hands out the functions of the running instance).
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  // The runners pass `--grep` through the environment: it is the only channel into the extension host.
  if (process.env.ADAPT_LAB_TEST_GREP) mocha.grep(process.env.ADAPT_LAB_TEST_GREP);
  const dir = path.join(__dirname, 'suite');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js in ${dir}`));
  for (const f of files) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
