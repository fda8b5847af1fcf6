// An experiment expands into cells — one training-and-measurement run each — over method × model × train size ×
// seed. The order is deterministic and puts every teacher before the students that learn from it, so a grid can run
// the list front to back. Each cell has a readable id (a folder-safe name for the combination) and a run id that adds
// a short hash of the experiment name and the cell's full configuration: changing a training option, or a teacher's,
// gives a new run instead of silently reusing a finished one.
import { createHash } from 'node:crypto';
import type { Experiment, Method, ModelRef, TrainSize } from './schema';
import type { DistillOptions, FinetuneOptions, PromptOptions } from './training';

export interface CellTeacher {
  /** The teacher's run id: its cell's run id, or the run named by `teacherRunId`. */
  runId: string;
  /** Set when the teacher is a cell of this experiment. */
  cellId?: string;
  method?: 'finetune' | 'prompt';
  model?: ModelRef;
}

interface CellBase {
  /** Readable and stable: `prompt__bert_uncased_L-2_H-128_A-2__n32__s1`; safe as a folder name. */
  id: string;
  /** `id` plus an 8-hex-digit configuration hash: the run folder's name. */
  runId: string;
  model: ModelRef;
  trainSize: TrainSize;
  seed: number;
}

export type Cell =
  | (CellBase & { method: 'finetune'; training: FinetuneOptions })
  // zeroShot: train size 0 — the prompt is evaluated as it is, without training.
  | (CellBase & { method: 'prompt'; training: PromptOptions; zeroShot: boolean })
  | (CellBase & { method: 'distill'; training: DistillOptions; teacher: CellTeacher });

export interface SkippedCell {
  id: string;
  method: Method;
  model: ModelRef;
  trainSize: TrainSize;
  seed: number;
  reason: string;
}

export interface CellPlan {
  cells: Cell[];
  skipped: SkippedCell[];
}

/** The runnable cells, teachers first. See {@link planCells} for the combinations left out and why. */
export function expandCells(experiment: Experiment): Cell[] {
  return planCells(experiment).cells;
}

export function planCells(e: Experiment): CellPlan {
  const cells: Cell[] = [];
  const skipped: SkippedCell[] = [];
  const slugs = modelSlugs([...e.models, ...e.methods.flatMap((m) => (m.method === 'distill' ? m.students : []))]);
  const slug = (m: ModelRef) => slugs.get(m.source)!;
  const byKey = new Map<string, Cell>();
  const key = (method: string, model: ModelRef, n: TrainSize, seed: number) => `${method}\u0000${model.source}\u0000${n}\u0000${seed}`;

  // Plain methods first (finetune, then prompt), in the file's model / size / seed order; distillations after all
  // of them, so that any teacher a distillation names has already been listed.
  const plain = (['finetune', 'prompt'] as const).filter((m) => e.methods.some((x) => x.method === m));
  for (const method of plain) {
    for (const model of e.models) {
      for (const n of e.trainSizes) {
        for (const seed of e.seeds) {
          const id = cellId(method, slug(model), n, seed);
          if (n === 0 && method === 'finetune') {
            skipped.push({ id, method, model, trainSize: n, seed, reason: 'fine-tuning needs labeled examples; train size 0 is zero-shot and only applies to prompting' });
            continue;
          }
          const base = { id, model, trainSize: n, seed };
          const cell: Cell =
            method === 'finetune'
              ? { ...base, method, training: { ...e.training.finetune }, runId: '' }
              : { ...base, method, training: { ...e.training.prompt }, zeroShot: n === 0, runId: '' };
          cell.runId = runIdOf(e.name, cell, undefined);
          cells.push(cell);
          byKey.set(key(method, model, n, seed), cell);
        }
      }
    }
  }

  for (const entry of e.methods) {
    if (entry.method !== 'distill') continue;
    const t = entry.teacher;
    const from = t.kind === 'cell' ? `from-${t.method}-${slug(t.model)}` : `from-${t.runId}`;
    for (const model of entry.students) {
      for (const n of e.trainSizes) {
        for (const seed of e.seeds) {
          const id = `${cellId('distill', slug(model), n, seed)}__${from}`;
          if (n === 0) {
            skipped.push({ id, method: 'distill', model, trainSize: n, seed, reason: 'distillation starts from a teacher trained on labeled examples; train size 0 has none' });
            continue;
          }
          let teacher: CellTeacher;
          if (t.kind === 'cell') {
            const tc = byKey.get(key(t.method, t.model, n, seed));
            // parseExperiment guarantees the teacher's method and model are in the grid, so the cell exists.
            if (!tc) throw new Error(`internal: no teacher cell ${t.method}/${t.model.name}/n${n}/s${seed}`);
            teacher = { runId: tc.runId, cellId: tc.id, method: t.method, model: t.model };
          } else {
            teacher = { runId: t.runId };
          }
          const cell: Cell = { id, runId: '', method: 'distill', model, trainSize: n, seed, training: { ...entry.training }, teacher };
          cell.runId = runIdOf(e.name, cell, teacher.runId);
          cells.push(cell);
        }
      }
    }
  }

  const seen = new Set<string>();
  for (const c of cells) {
    // Distinct by construction (models, sizes, seeds and method entries are checked unique); a collision is a bug.
    if (seen.has(c.id)) throw new Error(`internal: duplicate cell id ${c.id}`);
    seen.add(c.id);
  }
  return { cells, skipped };
}

function cellId(method: Method, modelSlug: string, n: TrainSize, seed: number): string {
  return `${method}__${modelSlug}__n${n}__s${seed}`;
}

/** The configuration that decides a run's result, hashed into its id. Data files are not part of it: the run
 *  records a hash of the data it saw, and the model is named as written so that moving the project keeps ids. */
function runIdOf(experimentName: string, cell: Cell, teacherRunId: string | undefined): string {
  const config = {
    experiment: experimentName,
    method: cell.method,
    model: cell.model.name,
    trainSize: cell.trainSize,
    seed: cell.seed,
    training: cell.training,
    teacher: teacherRunId ?? null,
  };
  return `${cell.id}__${shortHash(canonicalJson(config))}`;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** JSON with object keys sorted, so equal configurations hash equally whatever order their keys were built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A folder-safe short name per model: the last path segment (`google/bert_uncased_L-2_H-128_A-2` →
 * `bert_uncased_L-2_H-128_A-2`), with more segments when two models would otherwise share one, and a hash when
 * even the full names clash after making them safe.
 */
export function modelSlugs(models: readonly ModelRef[]): Map<string, string> {
  const unique = [...new Map(models.map((m) => [m.source, m])).values()];
  const segments = (m: ModelRef) => m.name.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'model';
  const out = new Map<string, string>();
  const depth = new Map(unique.map((m) => [m.source, 1]));
  for (;;) {
    const bySlug = new Map<string, ModelRef[]>();
    for (const m of unique) {
      const segs = segments(m);
      const slug = safe(segs.slice(-depth.get(m.source)!).join('--'));
      bySlug.set(slug, [...(bySlug.get(slug) ?? []), m]);
      out.set(m.source, slug);
    }
    const clashes = [...bySlug.values()].filter((group) => group.length > 1);
    if (clashes.length === 0) return out;
    let grew = false;
    for (const group of clashes) {
      for (const m of group) {
        if (depth.get(m.source)! < segments(m).length) {
          depth.set(m.source, depth.get(m.source)! + 1);
          grew = true;
        }
      }
    }
    if (!grew) {
      for (const group of clashes) for (const m of group) out.set(m.source, `${out.get(m.source)}-${shortHash(m.source).slice(0, 6)}`);
      return out;
    }
  }
}
