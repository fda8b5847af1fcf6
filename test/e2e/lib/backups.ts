// VS Code's hot exit backups of a workbench (code-server keeps them under the user-data folder, ud/User/Backups):
// the browser workbench lets a window reload with unsaved changes only once they are backed up, about a second
// after the last edit, so a test that reloads waits for the backup as a person's pause would give it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The backup files of the code-server run `runDir` that contain `text`. */
export function backupsContaining(runDir: string, text: string): string[] {
  const root = path.join(runDir, 'ud', 'User', 'Backups');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => {
      try {
        return fs.readFileSync(f, 'utf8').includes(text);
      } catch {
        return false; // replaced meanwhile
      }
    });
}
