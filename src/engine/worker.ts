// Entry point of the engine worker process (dist/worker.js), which the VS Code extension forks for every training,
// estimation, preview and prediction job so that TF.js never runs in the editor's own process. Its stdout and
// stderr are redacted of the Hugging Face token before the job starts (see worker/redact.ts).
import { secretsOf } from './hub/token';
import { processPort, serveWorker } from './worker/main';
import { redactProcessOutput } from './worker/redact';

redactProcessOutput(process, secretsOf(process.env));
serveWorker(processPort());
