// The base models of one grid, loaded once per model and shared by its cells. Before any training, every model is
// looked up without its weights (config and tokenizer are enough to check templates and lengths, and to know
// whether a random-init fallback is needed); the weights are read the first time a cell trains on the model.
import type { ModelRef } from '../experiment/paths';
import type { BaseModel } from '../methods/types';
import { loadBaseModel, type LoadBaseModelOptions } from '../pretrained';
import type { GridEventSink } from './events';

export class ModelCache {
  private readonly light = new Map<string, Promise<BaseModel>>();
  private readonly full = new Map<string, Promise<BaseModel>>();
  /** Hub ids replaced by a random-init model, by model source. */
  readonly randomInit = new Map<string, string>();

  constructor(
    private readonly options: { allowRandomInit: boolean; emit: GridEventSink; resolve?: LoadBaseModelOptions['resolve'] },
  ) {}

  /** Config, tokenizer and notice, without reading the weights. */
  describe(ref: ModelRef): Promise<BaseModel> {
    const loaded = this.full.get(ref.source);
    if (loaded) return loaded;
    return cached(this.light, ref.source, () => this.load(ref, true));
  }

  /** The model with its weights (or a random-init description), loaded once. */
  get(ref: ModelRef): Promise<BaseModel> {
    return cached(this.full, ref.source, async () => {
      const light = await this.describe(ref);
      // A random-init model has no weights to read; a second resolution could even find a different answer.
      if (light.weights === undefined && light.notice !== undefined) return light;
      return this.load(ref, false);
    });
  }

  private load(ref: ModelRef, withoutWeights: boolean): Promise<BaseModel> {
    let lastShown = 0;
    return loadBaseModel(ref.source, {
      name: ref.name,
      allowRandomInit: this.options.allowRandomInit,
      withoutWeights,
      resolve: this.options.resolve,
      onRandomInit: (repoId, reason) => {
        this.randomInit.set(ref.source, repoId);
        this.options.emit({ type: 'log', level: 'warn', message: `${repoId}: using a randomly initialised model of the same shape (${reason})` });
      },
      onProgress: ({ file, loadedBytes, totalBytes }) => {
        const now = Date.now();
        if (now - lastShown < 1000 && loadedBytes !== totalBytes) return;
        lastShown = now;
        const total = totalBytes ? ` of ${(totalBytes / 1e6).toFixed(1)} MB` : '';
        this.options.emit({ type: 'log', level: 'info', message: `downloading ${ref.name} ${file}: ${(loadedBytes / 1e6).toFixed(1)} MB${total}` });
      },
    });
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = make();
    map.set(key, p);
    // A failed load is not cached: the next cell asks again (and fails again with the same clear error).
    p.catch(() => {
      if (map.get(key) === p) map.delete(key);
    });
  }
  return p;
}
