import { createHash } from 'node:crypto';
import { issue } from '../../../../src/stix/issues';
import { createPrepareDeps, type PrepareDeps, prepareObjects, rewriteRefs } from '../../../../src/stix/prepare';
import { loadInput } from '../normalize/fixture-case';

const IND = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

function indicator(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: IND,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-02T00:00:00.123456Z',
    pattern: "[ipv4-addr:value = '203.0.113.1']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

const passThrough: PrepareDeps = {
  schemaValidate: () => [],
  canonicalizePattern: (text) => ({ value: text, issues: [] }),
};

describe('prepareObjects', () => {
  it('when the field bundle is prepared, then the broken pattern fails alone with a readable message', () => {
    const { objects } = loadInput('field-bundle');
    const out = prepareObjects(objects, {}, createPrepareDeps());
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = out[1];
    if (failed === undefined || failed.ok) throw new Error('expected a failure');
    expect(failed.index).toBe(1);
    expect(failed.id).toBe('indicator--6c5e1f2a-6b7d-4c8e-9f0a-1b2c3d4e5f61');
    expect(failed.version).toBe('2024-03-07T05:00:00.001Z');
    const error = failed.issues.find((i) => i.severity === 'error');
    expect(error?.code).toBe('PATTERN_SYNTAX');
    expect(error?.message).toMatch(/expected '\]'/);
  });

  it('when an element is not an object, then only that element fails', () => {
    const out = prepareObjects(['nope', indicator()], {}, passThrough);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ok: false, index: 0 });
    expect(out[1]).toMatchObject({ ok: true, object: { index: 1, id: IND } });
  });

  it('when the schema reports an error, then the object fails with it and normalization does not run', () => {
    const canon = jest.fn((text: string) => ({ value: text, issues: [] }));
    const deps: PrepareDeps = {
      schemaValidate: () => [issue('error', 'SCHEMA_REQUIRED', '/name', 'name is required')],
      canonicalizePattern: canon,
    };
    const [o] = prepareObjects([indicator()], {}, deps);
    expect(o).toMatchObject({ ok: false, index: 0, id: IND, issues: [{ code: 'SCHEMA_REQUIRED', objectId: IND }] });
    expect(canon).not.toHaveBeenCalled();
  });

  it('when an object is too large, then it fails with OBJECT_TOO_LARGE', () => {
    const [o] = prepareObjects([indicator({ description: 'x'.repeat(5000) })], { maxObjectBytes: 2000 }, passThrough);
    expect(o).toMatchObject({ ok: false, issues: [{ code: 'OBJECT_TOO_LARGE' }] });
  });

  it('when an indicator is prepared, then version, json, indicatorKey and refs are filled', () => {
    const obj = indicator({
      created_by_ref: 'identity--0a2c5f0e-1d5c-4b6e-9a43-1c2d3e4f5a6b',
      object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
    });
    const [o] = prepareObjects([obj], { defaultTlp: 'red' }, passThrough);
    if (o === undefined || !o.ok) throw new Error('expected success');
    const p = o.object;
    expect(p.version).toBe('2024-01-02T00:00:00.123456Z');
    expect(p.json).toBe(JSON.stringify(obj));
    expect(p.originalJson).toBeUndefined();
    expect(p.postedId).toBeUndefined();
    expect(p.specVersion).toBe('2.1');
    expect(p.createdByRef).toBe('identity--0a2c5f0e-1d5c-4b6e-9a43-1c2d3e4f5a6b');
    expect(p.markingRefs).toEqual(['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da']);
    const key = createHash('sha256').update("stix\u0000[ipv4-addr:value = '203.0.113.1']").digest('hex');
    expect(p.indicatorKey).toBe(key);
  });

  it('when normalization changes an object, then the posted form is kept in originalJson', () => {
    const posted = indicator({ pattern: "[ipv4-addr:value = '203.0.113.001']" });
    const [o] = prepareObjects([posted], {}, createPrepareDeps());
    if (o === undefined || !o.ok) throw new Error('expected success');
    expect(o.object.originalJson).toBe(JSON.stringify(posted));
    expect(JSON.parse(o.object.json)).toMatchObject({ pattern: "[ipv4-addr:value = '203.0.113.1']" });
    expect(o.object.changes.map((c) => c.code)).toContain('PATTERN_CANONICALIZED');
  });

  it('when the default TLP is set, then the stored markingRefs include it', () => {
    const [o] = prepareObjects([indicator()], { defaultTlp: 'green' }, passThrough);
    if (o === undefined || !o.ok) throw new Error('expected success');
    expect(o.object.markingRefs).toEqual(['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb']);
  });

  it('when the input is prepared, then the input objects are not mutated', () => {
    const { objects } = loadInput('observed-data-2-0');
    const before = JSON.stringify(objects);
    prepareObjects(objects, { defaultTlp: 'amber' }, createPrepareDeps());
    expect(JSON.stringify(objects)).toBe(before);
  });
});

describe('prepareObjects and SCO ids rewritten in the batch', () => {
  const DOMAIN = 'domain-name--11111111-2222-4333-8444-555555555555';
  const domain = { type: 'domain-name', spec_version: '2.1', id: DOMAIN, value: 'evil[.]example' };
  const created = '2024-01-01T00:00:00.000Z';

  function preparedJson(objects: unknown[], deps: PrepareDeps = createPrepareDeps()): Record<string, unknown>[] {
    return prepareObjects(objects, {}, deps).map((o) => {
      if (!o.ok) throw new Error(`unexpected failure: ${JSON.stringify(o.issues)}`);
      return JSON.parse(o.object.json) as Record<string, unknown>;
    });
  }

  it('when objects before and after the SCO refer to it, at the top or nested, then each reference follows its new id', () => {
    const relationship = (n: string): Record<string, unknown> => ({
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--11111111-2222-4333-8444-00000000000${n}`,
      created,
      modified: created,
      relationship_type: 'related-to',
      source_ref: IND,
      target_ref: DOMAIN,
    });
    const [before, sco, after] = preparedJson([relationship('1'), domain, relationship('2')]);
    const newId = sco?.['id'];
    expect(newId).not.toBe(DOMAIN);
    expect(before?.['target_ref']).toBe(newId);
    expect(after?.['target_ref']).toBe(newId);
  });

  it('when an observed-data keeps its objects dictionary beside object_refs (no schema), then references inside it follow too', () => {
    const observed = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--11111111-2222-4333-8444-000000000003',
      created,
      modified: created,
      first_observed: created,
      last_observed: created,
      number_observed: 1,
      object_refs: ['relationship--11111111-2222-4333-8444-000000000004'],
      objects: { '0': { type: 'ipv4-addr', value: '203.0.113.9', resolves_to_refs: [DOMAIN] } },
    };
    // The STIX schema rejects the combination: without it, the object gets this far.
    const [sco, od] = preparedJson([domain, observed], passThrough);
    expect(od?.['objects']).toEqual({ '0': { type: 'ipv4-addr', value: '203.0.113.9', resolves_to_refs: [sco?.['id']] } });
  });
});

describe('rewriteRefs', () => {
  const map = new Map([['domain-name--00000000-0000-4000-8000-000000000001', 'domain-name--00000000-0000-5000-8000-000000000002']]);

  it('when refs at any depth name a mapped id, then they are rewritten and duplicates removed', () => {
    const obj = {
      type: 'x-thing',
      id: 'x-thing--00000000-0000-4000-8000-000000000009',
      source_ref: 'domain-name--00000000-0000-4000-8000-000000000001',
      object_refs: ['domain-name--00000000-0000-4000-8000-000000000001', 'domain-name--00000000-0000-5000-8000-000000000002'],
      nested: [
        { inner_ref: 'domain-name--00000000-0000-4000-8000-000000000001', value: 'domain-name--00000000-0000-4000-8000-000000000001' },
      ],
    };
    expect(rewriteRefs(obj, map)).toEqual({
      ...obj,
      source_ref: 'domain-name--00000000-0000-5000-8000-000000000002',
      object_refs: ['domain-name--00000000-0000-5000-8000-000000000002'],
      nested: [
        { inner_ref: 'domain-name--00000000-0000-5000-8000-000000000002', value: 'domain-name--00000000-0000-4000-8000-000000000001' },
      ],
    });
    expect(obj.source_ref).toBe('domain-name--00000000-0000-4000-8000-000000000001');
  });

  it('when no ref is mapped, then the same object is returned', () => {
    const obj = { type: 'indicator', id: IND, created_by_ref: 'identity--00000000-0000-4000-8000-000000000003' };
    expect(rewriteRefs(obj, map)).toBe(obj);
  });
});
