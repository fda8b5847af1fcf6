// The JSON schema the editor uses must describe the same format as the runtime validator: same keys, same
// defaults, same ranges. Otherwise completion offers what loading rejects, or hover shows a default that is not used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATASET_KEYS, DISTILL_KEYS, EXPERIMENT_KEYS, STUDENT_KEYS, TEACHER_KEYS } from '../../../src/engine/experiment/schema';
import { DEFAULT_TRAINING, METHODS, OPTION_SPECS } from '../../../src/engine/experiment/training';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'experiment.schema.json'), 'utf8'));

const sorted = (xs: Iterable<string>) => [...xs].sort();

test('the schema is draft-07 and closed (no unknown keys) everywhere', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const walk = (node: any, where: string) => {
    if (node && typeof node === 'object') {
      if (node.type === 'object') assert.equal(node.additionalProperties, false, `${where} is closed`);
      if (node.properties) {
        for (const [k, v] of Object.entries<any>(node.properties)) {
          assert.ok(typeof v.description === 'string' || v.$ref, `${where}.${k} has a description`);
        }
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${where}/${k}`);
    }
  };
  walk(schema, '#');
});

test('the schema has the keys the runtime validator accepts', () => {
  const p = schema.properties;
  assert.deepEqual(sorted(Object.keys(p)), sorted(EXPERIMENT_KEYS));
  assert.deepEqual(sorted(Object.keys(p.dataset.properties)), sorted(DATASET_KEYS));
  assert.deepEqual(sorted(p.dataset.required), ['test', 'train']);
  const distill = p.methods.items.anyOf[1].properties.distill;
  assert.deepEqual(sorted(Object.keys(distill.properties)), sorted(DISTILL_KEYS));
  assert.deepEqual(sorted(Object.keys(distill.properties.teacher.properties)), sorted(TEACHER_KEYS));
  assert.deepEqual(sorted(Object.keys(distill.properties.student.properties)), sorted(STUDENT_KEYS));
  assert.deepEqual(p.methods.items.anyOf[0].enum, ['finetune', 'prompt']);
  assert.deepEqual(sorted(Object.keys(p.training.properties)), sorted(METHODS));
});

test('training options: same names, kinds, ranges and defaults as training.ts', () => {
  for (const method of METHODS) {
    const def = schema.definitions[method];
    const specs = OPTION_SPECS[method] as Record<string, { kind: string; range?: Record<string, unknown>; values?: string[] }>;
    assert.deepEqual(sorted(Object.keys(def.properties)), sorted(Object.keys(specs)), method);
    for (const [key, spec] of Object.entries(specs)) {
      const prop = def.properties[key];
      const where = `${method}.${key}`;
      if (spec.kind === 'enum') assert.deepEqual(prop.enum, spec.values, where);
      else assert.equal(prop.type, spec.kind, where);
      const r = spec.range ?? {};
      assert.equal(prop.minimum, r.min, `${where} minimum`);
      assert.equal(prop.maximum, r.max, `${where} maximum`);
      assert.equal(prop.exclusiveMinimum, r.above, `${where} exclusiveMinimum`);
      assert.equal(prop.default, (DEFAULT_TRAINING[method] as unknown as Record<string, unknown>)[key], `${where} default`);
    }
  }
  const overrides = schema.definitions.distillOverrides;
  assert.deepEqual(sorted(Object.keys(overrides.properties)), sorted(Object.keys(OPTION_SPECS.distill)));
});
