/**
 * The validator adds the STIX schemas without checking them against the JSON Schema meta-schema (it cost most
 * of the offline CLI's start-up; src/stix/schema-validator.ts, newAjv). This test does that check instead.
 */
import Ajv from 'ajv';
import { loadStixSchemas } from '../../../../src/stix/schema-validator';

describe('STIX schemas against the draft-07 meta-schema', () => {
  const schemas = loadStixSchemas();

  it('when the schemas are loaded, then there are some to check', () => {
    expect(schemas.length).toBeGreaterThan(20);
  });

  it.each(schemas.map((s) => [s.path, s.schema] as const))('when %s is checked, then it is a valid draft-07 schema', (_path, schema) => {
    const ajv = new Ajv({ strict: false });
    expect([ajv.validateSchema(schema), ajv.errors ?? []]).toEqual([true, []]);
  });

  it('when a schema breaks the meta-schema, then the check fails', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema({ type: 'object', properties: { a: { type: 12 } } })).toBe(false);
  });
});
