// Entry point of the engine worker process (dist/worker.js), which the VS Code extension forks for every training,
// estimation, preview and prediction job so that TF.js never runs in the editor's own process.
import { processPort, serveWorker } from './worker/main';

serveWorker(processPort());
