// The software a run was computed with, recorded in run.json: numbers from different versions or backends may
// differ, and a report mixing them should be explainable.
import * as tf from '@tensorflow/tfjs';
import packageJson from '../../../package.json';

export interface Versions {
  adaptLab: string;
  tfjs: string;
  node: string;
  /** The TF.js backend (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
}

export const ADAPT_LAB_VERSION: string = packageJson.version;

export function versions(backend: string): Versions {
  return { adaptLab: ADAPT_LAB_VERSION, tfjs: tf.version_core, node: process.version, backend };
}
