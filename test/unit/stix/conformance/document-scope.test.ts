/**
 * OBSERVED_DATA_REF_MISSING holds for whole documents only (docs/stix-conformance.md): a bundle or a bare list of
 * objects carries what its observed-data observed; a TAXII envelope is one page of a collection a reader may see
 * only part of, and a single object is no document.
 */
import type { CliIo } from '../../../../src/main/cli-types';
import { validateCommand } from '../../../../src/main/commands/validate';
import { validateDocument } from '../../../../src/stix/conformance/validate-document';

const OBSERVED = {
  type: 'observed-data',
  spec_version: '2.1',
  id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
  created: '2016-04-06T20:03:48.000Z',
  modified: '2016-04-06T20:03:48.000Z',
  first_observed: '2015-12-21T19:00:00Z',
  last_observed: '2015-12-21T19:00:00Z',
  number_observed: 1,
  object_refs: ['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],
};

async function validate(doc: unknown): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: () => undefined,
    env: {},
    readStdin: () => Promise.resolve(Buffer.from(JSON.stringify(doc), 'utf8')),
  };
  return { code: await validateCommand(['-'], io), out: out.join('') };
}

describe('where observed objects must travel with their observed-data', () => {
  it('when a bundle lacks an observed object, then strict validate reports OBSERVED_DATA_REF_MISSING and exits 1', async () => {
    const r = await validate({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [OBSERVED] });
    expect(r.out).toContain(' OBSERVED_DATA_REF_MISSING ');
    expect(r.code).toBe(1);
  });

  it('when a bare list of objects held in memory lacks an observed object, then validateDocument reports it too', () => {
    const r = validateDocument([OBSERVED]);
    expect(r.issues.map((i) => i.code)).toContain('OBSERVED_DATA_REF_MISSING');
    expect(r.ok).toBe(false);
    expect(validateDocument(OBSERVED).ok).toBe(true);
  });

  it('when a TAXII envelope page lacks an observed object, then it is not reported (the object may be on another page)', async () => {
    const r = await validate({ more: true, next: 'p2', objects: [OBSERVED] });
    expect(r.out).not.toContain('OBSERVED_DATA_REF_MISSING');
    expect(r.code).toBe(0);
  });

  it('when a single observed-data is validated, then it is not reported (no document to look in)', async () => {
    const r = await validate(OBSERVED);
    expect(r.out).not.toContain('OBSERVED_DATA_REF_MISSING');
    expect(r.code).toBe(0);
  });
});
