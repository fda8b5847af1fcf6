// The bad-input corpus (test/hardening/corpus/cases.json) through the CLI as a user meets it: each case in its own
// process, offline, asserting exit code 2, exactly one line on stderr (besides the backend status line) that names
// the file and the line or field and says what to do, no stack trace, nothing on stdout, every input file the same
// byte for byte afterwards, and no file created by a hostile pickle. Then the same files through the extension's
// pure loaders (labeling document, template diagnostics, experiment parser): a problem reported, never a throw.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isUserError } from '../../../src/engine/errors';
import { parseExperiment } from '../../../src/engine/experiment/schema';
import { loadTokenizer, type Tokenizer } from '../../../src/engine/tokenizer';
import { formatOfFile, parseLabelingDocument } from '../../../src/extension/labeling/dataset-doc';
import { diagnoseTemplate } from '../../../src/extension/prompt/diagnose-template';
import { filesUnder } from '../../lib/files';
import { buildCase, digests, loadCases, type BuiltCase, type CorpusCase } from '../../hardening/corpus-case';
import { repoRoot, writeTinyModel } from '../grid/helpers';

const MAIN = path.join(repoRoot, 'src', 'cli', 'main.ts');
const cases = loadCases();
/** Cases run two at a time: the CI machine has two cores, and each case is one short Node process. */
const CONCURRENCY = 2;

const root = mkdtempSync(path.join(tmpdir(), 'adapt-lab-corpus-'));
const tinyModel = path.join(root, 'shared-tiny');
const ready = writeTinyModel(tinyModel, 1);

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(argv: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Offline with an empty cache, so that no case depends on this machine's downloads or network.
    const env = { ...process.env, HF_HUB_OFFLINE: '1', HF_HOME: path.join(root, 'hf-home'), HF_HUB_CACHE: path.join(root, 'hf-home', 'hub'), ADAPT_LAB_BACKEND: 'cpu' };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...argv], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('the corpus holds at least 100 cases, with distinct ids, covering every kind of bad input issue 6 lists', () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
  const covered = new Set(cases.map((c) => c.covers));
  for (const item of [
    'CSV/TSV with ragged rows', 'CSV/TSV with the wrong delimiter', 'CSV/TSV with a byte-order mark', 'CSV/TSV with quotes left open',
    'NUL bytes', 'invalid UTF-8', 'a 200 MB line', 'empty file', 'header only', 'JSONL with a broken line in the middle',
    'JSONL with wrong types', 'JSONL with missing text or label', 'labels unseen in train', 'one class only',
    'experiment files that violate the schema', 'prompt files that violate the schema', 'unknown models', 'train sizes larger than the data',
    'a verbalizer word absent from the vocabulary', 'duplicate verbalizer tokens', 'checkpoints: safetensors structure',
    'checkpoints: shapes that disagree with config.json', 'checkpoints: config.json with absurd or invalid sizes',
    'pytorch_model.bin whose pickle asks for a global outside the allow-list',
  ]) {
    assert.ok(covered.has(item), `no case covers "${item}"`);
  }
});

test('every corpus case: exit 2, one line naming the file and the line or field with a fix, no trace, inputs unchanged', { concurrency: CONCURRENCY }, async (t) => {
  await ready;
  const sharedBefore = digests(filesUnder(tinyModel));
  await Promise.all(
    cases.map((c) =>
      t.test(c.id, { timeout: 120_000 }, async () => {
        const built = buildCase(c, root, tinyModel);
        try {
          await checkCli(c, built);
        } finally {
          // The 200 MB inputs go at once, not at the end of the run.
          rmSync(built.dir, { recursive: true, force: true });
        }
      }),
    ),
  );
  assert.deepEqual(digests(filesUnder(tinyModel)), sharedBefore, 'the shared model folder was modified');
});

async function checkCli(c: CorpusCase, built: BuiltCase): Promise<void> {
  const before = digests(built.inputs);
  const r = await cli(built.argv);
  const context = `${c.id}: adapt-lab ${built.argv.join(' ')}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout.slice(0, 2000)}`;
  assert.equal(r.code, 2, context);
  assert.equal(r.stdout, '', context);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `a stack trace: ${context}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^adapt-lab: backend: /.test(l));
  assert.equal(lines.length, 1, context);
  const [line] = lines;
  assert.ok(line.startsWith('adapt-lab: ') && !line.startsWith('adapt-lab: internal error'), context);
  const message = line.slice('adapt-lab: '.length);
  assert.match(message, new RegExp(c.expect), context);
  // The generic shape of UserError.format(): `file[:line][: field]: problem. Fix.`, and the fix is a sentence.
  assert.match(message, /^\S[^:]*(:\d+)?: .+[.!?)`"] [A-Z"`].*$/u, `no "file: problem. Fix." shape: ${context}`);
  assert.deepEqual(digests(built.inputs), before, `an input file was modified: ${context}`);
  assert.equal(existsSync(built.marker), false, `the hostile pickle ran: ${context}`);
}

test('the corpus through the extension\'s pure loaders: a problem or diagnostic, never a throw', async () => {
  await ready;
  const tokenizer = await loadTokenizer(tinyModel);
  const dir = path.join(root, 'loaders');
  let checked = 0;
  const failures: string[] = [];
  for (const c of cases) {
    if (c.labeling === undefined && c.template === undefined && c.schema === undefined) continue;
    const built = buildCase(c, dir, tinyModel);
    const before = digests(built.inputs);
    try {
      checkLoaders(c, built, tokenizer);
      assert.deepEqual(digests(built.inputs), before, `${c.id}: an input was modified`);
      checked++;
    } catch (e) {
      failures.push(e instanceof assert.AssertionError ? e.message : `${c.id}: a loader threw instead of reporting: ${(e as Error).stack}`);
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked >= 80, `${checked} cases checked`);
});

function checkLoaders(c: CorpusCase, built: BuiltCase, tokenizer: Tokenizer): void {
  if (c.labeling !== undefined) {
    // The labeling editor works on VS Code's text of the file.
    const file = built.files.train ?? built.files.dev ?? built.files.test ?? built.files.unlabeled;
    assert.ok(file, `${c.id}: no data file`);
    const format = formatOfFile(file);
    assert.ok(format, `${c.id}: ${file} is not a labeling format`);
    const doc = parseLabelingDocument(decodeAsEditor(readFileSync(file)), format);
    if (c.labeling === 'problem') assert.ok(doc.problems.length > 0, `${c.id}: the labeling editor lists no problem`);
  }
  if (c.template !== undefined) {
    const file = built.files.prompt!;
    const diagnostics = diagnoseTemplate(decodeAsEditor(readFileSync(file)), file, {
      tokenizer, model: 'tiny', data: { labels: ['ham', 'spam'], file: 'train.jsonl', hasTextPair: false },
    });
    assert.ok(diagnostics.some((d) => d.severity === c.template), `${c.id}: no ${c.template} diagnostic: ${JSON.stringify(diagnostics)}`);
    for (const d of diagnostics) assert.ok(d.message.length > 0 && d.start <= d.end, `${c.id}: ${JSON.stringify(d)}`);
  }
  if (c.schema) {
    // As the extension reads an experiment: the editor's text, without checking the files it names.
    const file = built.files.experiment!;
    let err: unknown;
    try {
      parseExperiment(decodeAsEditor(readFileSync(file)), file);
    } catch (e) {
      err = e;
    }
    assert.ok(isUserError(err), `${c.id}: parseExperiment did not refuse it with a UserError: ${String(err)}`);
    assert.equal(err.place.file, file, c.id);
    assert.ok(err.place.line !== undefined || err.place.field !== undefined, `${c.id}: ${err.format()}`);
    assert.ok(err.fix.length > 0, c.id);
  }
}

/** Text as VS Code opens it: UTF-16 by its byte-order mark, else UTF-8 with replacement characters. */
function decodeAsEditor(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

after(() => rmSync(root, { recursive: true, force: true }));
