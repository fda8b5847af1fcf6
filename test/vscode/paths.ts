// Where the VS Code test suites read and write, all relative to the repository root so that CI (which clones
// the repository elsewhere) and developers get the same layout.
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** Kept by CI as artifacts: screenshots and the logs of every code-server and browser session. */
export const outputDir = path.join(repoRoot, 'test-output');
export const screenshotsDir = path.join(outputDir, 'screenshots');
export const logsDir = path.join(outputDir, 'vscode-logs');
/** `npm run package` writes the VSIX here under a fixed name, so the UI tests need not guess the version. */
export const vsixPath = path.join(repoRoot, 'dist', 'adapt-lab.vsix');
/** Bundled integration tests (out/ is git-ignored). */
export const integrationOutDir = path.join(repoRoot, 'out', 'integration');
