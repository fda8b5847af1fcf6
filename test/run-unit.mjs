// Runs every test/unit/**/*.test.ts with node's built-in runner; tsx strips the types.
// Node 20's `--test` does not expand globs or pick up .ts files, so the list is made here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Most tests read the reference fixtures and datasets beside the repository (test/lib/shared.ts): say so once,
// rather than with a hundred ENOENTs.
const shared = process.env.ADAPT_LAB_SHARED || join(root, '..', 'shared');
if (!existsSync(join(shared, 'fixtures', 'bert-L2-H64-A2', 'expected.json'))) {
  console.error(`run-unit: the reference fixtures are not in ${shared}/fixtures. The tests expect the shared folder (fixtures/, data/) beside the repository as ../shared; set ADAPT_LAB_SHARED to it when the clone is elsewhere.`);
  process.exit(1);
}
const wanted = process.argv.slice(2);
function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}
const files = find(join(root, 'test/unit'))
  .map((p) => relative(root, p))
  .filter((p) => wanted.length === 0 || wanted.some((w) => p.includes(w)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
