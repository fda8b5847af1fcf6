// Grouping runs over seeds (mean ± std) lives in src/engine/analysis/group.ts, shared by `adapt-lab report` and the
// dashboard so that both show the same numbers; this module keeps the run store's older import path working.
export { aggregateRuns, meanStd, teacherLabel, groupKey, type AggregateRow, type GroupableRun, type Stat } from '../analysis/group';
