/**
 * An observed-data travels with what it observed (docs/stix-conformance.md, OBSERVED_DATA_REF_MISSING): `convert`
 * takes out references to objects the pipeline rejected or the producer never sent, and leaves out an
 * observed-data that keeps no cyber-observable object.
 */
import type { CliIo } from '../../../../src/main/cli-types';
import { prepareForExport } from '../../../../src/main/commands/convert';
import { closeObservations } from '../../../../src/stix/conformance/observation-closure';
import { validateDocument } from '../../../../src/stix/conformance/validate-document';

const T = '2016-04-06T20:03:48.000Z';
type Obj = Record<string, unknown> & { readonly type: string; readonly id: string };
const IP: Obj = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
const NT_ID = 'network-traffic--630d7bb1-0bbc-53a6-a6d4-f3c2d35c2734';
/** A network-traffic with neither src_ref nor dst_ref: the pipeline rejects it (SCHEMA_ANY_OF). */
const BROKEN_NT = { type: 'network-traffic', spec_version: '2.1', id: NT_ID, protocols: ['icmp'] };
const observed = (refs: string[]): Obj => ({
  type: 'observed-data',
  spec_version: '2.1',
  id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
  created: T,
  modified: T,
  first_observed: T,
  last_observed: T,
  number_observed: 1,
  object_refs: refs,
});

function capture(): { io: CliIo; err: string[] } {
  const err: string[] = [];
  return { io: { stdout: () => undefined, stderr: (t) => err.push(t), env: {}, readStdin: () => Promise.resolve(Buffer.alloc(0)) }, err };
}

describe('closeObservations', () => {
  it('when every observed object is present, then the objects are returned unchanged', () => {
    const objects = [IP, observed([IP.id])];
    const r = closeObservations(objects);
    expect(r.objects).toEqual(objects);
    expect(r.dropped).toHaveLength(0);
    expect(r.trimmed).toHaveLength(0);
  });

  it('when one observed object is absent, then its reference is taken out with a warning and the rest kept', () => {
    const r = closeObservations([IP, observed([IP.id, NT_ID])]);
    expect(r.objects[1]?.['object_refs']).toEqual([IP.id]);
    expect(r.trimmed.map((i) => [i.code, i.severity])).toEqual([['OBSERVED_DATA_REF_MISSING', 'warning']]);
    expect(r.trimmed[0]?.message).toContain(NT_ID);
    expect(r.dropped).toHaveLength(0);
  });

  it('when no observed SCO is left, then the observed-data is left out with an error', () => {
    const r = closeObservations([IP, observed([NT_ID])]);
    expect(r.objects).toEqual([IP]);
    expect(r.dropped.map((i) => [i.code, i.severity, i.objectId])).toEqual([['OBSERVED_DATA_REF_MISSING', 'error', observed([]).id]]);
  });
});

describe('convert keeps observations whole', () => {
  it('when the pipeline rejects an observed object, then the document written is strictly valid and the change is on stderr', () => {
    const { io, err } = capture();
    const r = prepareForExport([IP, BROKEN_NT, observed([IP.id, NT_ID])], io, false);
    const od = r.objects.find((o) => o.type === 'observed-data');
    expect(od?.['object_refs']).toEqual([IP.id]);
    expect(r.rejected).toBe(1);
    expect(err.join('')).toContain(`rejected ${NT_ID}`);
    expect(err.join('')).toContain('OBSERVED_DATA_REF_MISSING');
    const doc = { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: r.objects };
    expect(validateDocument(doc).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('when the only observed object is rejected, then the observed-data is counted as rejected too', () => {
    const { io, err } = capture();
    const r = prepareForExport([BROKEN_NT, observed([NT_ID])], io, true);
    expect(r.objects).toEqual([]);
    expect(r.rejected).toBe(2);
    expect(err.join('')).toContain('rejected observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf');
  });
});
