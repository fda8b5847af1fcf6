// The VSIX from `npm run package` holds exactly what the extension reads at run time (.vscodeignore is an
// allow-list, and a file missing from it only shows up once a user installs the extension).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ZipArchive } from '../../src/engine/checkpoint/zip';
import { filesUnder } from '../lib/files';
import { repoRoot, vsixPath } from '../vscode/paths';

/** Every file below `dir` (relative to the repository root), '/'-separated. */
function filesOf(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!fs.existsSync(abs)) return [];
  return filesUnder(abs).map((f) => path.relative(repoRoot, f).split(path.sep).join('/'));
}

test('the VSIX holds the bundles, their wasm files and the data folders, and nothing else', () => {
  const zip = new ZipArchive(fs.readFileSync(vsixPath), vsixPath);
  const packed = [...zip.entries.keys()]
    .filter((n) => n.startsWith('extension/'))
    .map((n) => n.slice('extension/'.length))
    .sort();

  // What the extension host, its worker and the webviews load: the bundles (not the benchmark), the webviews'
  // style sheets, the wasm backend's binaries, pthread worker and main script (written into dist/ by the build),
  // and the folders read at run time.
  const runtime = [
    ...filesOf('dist').filter((f) => /^dist\/[^/]+\.(js|css|wasm)$/.test(f) && f !== 'dist/bench.js'),
    ...['media', 'data', 'schemas', 'templates'].flatMap(filesOf),
  ];
  // vsce renames README.md and LICENSE; NOTICE.md carries the bundled data's licences.
  const docs = ['package.json', 'readme.md', 'LICENSE.txt', 'NOTICE.md'];
  assert.deepEqual(packed, [...runtime, ...docs].sort());

  for (const needed of ['dist/extension.js', 'dist/worker.js', 'dist/dashboard.js', 'dist/labeling.js', 'dist/labeling.css',
    'dist/tfjs-backend-wasm.wasm', 'dist/tfjs-backend-wasm-simd.wasm', 'dist/tfjs-backend-wasm-threaded-simd.wasm',
    'dist/tfjs-backend-wasm-threaded-simd.worker.js', 'dist/tfjs-backend-wasm-threaded-simd.js']) {
    assert.ok(packed.includes(needed), `${needed} is not in the VSIX (was \`npm run build\` run?)`);
  }
  const manifest = JSON.parse(Buffer.from(zip.read('extension/package.json')).toString('utf8')) as { main: string };
  assert.ok(packed.includes(path.posix.normalize(manifest.main)), `the manifest's main ${manifest.main} is not in the VSIX`);
});
