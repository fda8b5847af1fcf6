// The study compares four ways to adapt a model: fine-tuning, prompting (PET), and distillation from either. A
// "series" is one of these — the method, and for distillation its teacher — drawn as one line or one colour in
// every chart. A distilled student's model is its own model; the teacher's model goes into the series name only
// when the data holds distillations from several teacher models of the same method (otherwise it is clutter).
import type { AggregateRow } from './group';

export interface SeriesInfo {
  /** Stable id: `finetune`, `prompt`, `distill←prompt`, `distill←prompt:<teacher model>`, `distill←run:<id>`. */
  id: string;
  /** Shown in legends and tables. */
  label: string;
  /** Position in the canonical order finetune, prompt, distill←finetune, distill←prompt, others. */
  order: number;
}

const ORDER: Record<string, number> = { finetune: 0, prompt: 1, 'distill←finetune': 2, 'distill←prompt': 3 };

type SeriesRow = Pick<AggregateRow, 'method' | 'teacher'>;

/** The series id without the teacher model: what the legend calls it when that is unambiguous. */
function baseId(row: SeriesRow): string {
  if (row.method !== 'distill') return row.method;
  const t = row.teacher;
  if (t?.method !== undefined) return `distill←${t.method}`;
  return `distill←run:${t?.runId ?? '?'}`;
}

/**
 * Names the series of a set of rows: returns a function from row to series. Teacher models are named only where
 * two teacher models share a teacher method in `rows`.
 */
export function seriesNamer(rows: readonly SeriesRow[]): (row: SeriesRow) => SeriesInfo {
  const teacherModels = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.method !== 'distill' || r.teacher?.method === undefined) continue;
    const base = baseId(r);
    const set = teacherModels.get(base) ?? new Set<string>();
    set.add(r.teacher.model ?? '?');
    teacherModels.set(base, set);
  }
  return (row) => {
    const base = baseId(row);
    const order = ORDER[base] ?? 4;
    if (row.method === 'distill' && row.teacher?.method !== undefined && (teacherModels.get(base)?.size ?? 0) > 1) {
      const model = row.teacher.model ?? '?';
      return { id: `${base}:${model}`, label: `${base} (${shortModelName(model)})`, order };
    }
    return { id: base, label: base, order };
  };
}

/** `google/bert_uncased_L-4_H-256_A-4` → `bert_uncased_L-4_H-256_A-4`; local paths keep their last part. */
export function shortModelName(model: string): string {
  const parts = model.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  return parts.length === 0 ? model : parts[parts.length - 1];
}
