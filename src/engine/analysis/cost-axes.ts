// The costs a configuration can be judged by, in one table: the compute-cost axes of the accuracy-vs-cost chart,
// the data cost (labeled examples), and the limits of the budget advisor all read a group's costs through these.
import type { AggregateRow } from './group';

export type CostAxis = 'inferFlopsPerExample' | 'latencyMsP50' | 'params' | 'trainFlops' | 'trainSeconds' | 'labeled';

export interface CostAxisInfo {
  id: CostAxis;
  label: string;
  /** Short unit for axis titles ('' when the label says it). */
  unit: string;
  /** Compute costs are paid in hardware; the data cost in labeling work. */
  kind: 'compute' | 'data';
}

export const COST_AXES: readonly CostAxisInfo[] = [
  { id: 'inferFlopsPerExample', label: 'Inference FLOPs per example', unit: 'FLOPs', kind: 'compute' },
  { id: 'latencyMsP50', label: 'Latency p50', unit: 'ms', kind: 'compute' },
  { id: 'params', label: 'Parameters', unit: '', kind: 'compute' },
  { id: 'trainFlops', label: 'Training FLOPs', unit: 'FLOPs', kind: 'compute' },
  { id: 'trainSeconds', label: 'Training time', unit: 's', kind: 'compute' },
  { id: 'labeled', label: 'Labeled examples', unit: '', kind: 'data' },
];

export function isCostAxis(value: unknown): value is CostAxis {
  return COST_AXES.some((a) => a.id === value);
}

export function costAxisInfo(axis: CostAxis): CostAxisInfo {
  return COST_AXES.find((a) => a.id === axis)!;
}

/** A group's cost on an axis; null when not measured. */
export function costOf(row: Pick<AggregateRow, CostAxis>, axis: CostAxis): number | null {
  return row[axis];
}
