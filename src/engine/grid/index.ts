// The grid runner's public surface: the CLI's `run` command and the extension's worker use only these.
export { readExperiment, runExperiment, type CellOutcome, type GridResult, type RunExperimentOptions } from './run-experiment';
export type { CellStatus, GridCellInfo, GridEvent, GridEventSink } from './events';
export type { CellEstimate } from './estimate';
export type { MethodEntryPoints } from './run-cell';
