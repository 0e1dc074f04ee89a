/**
 * STIX 2.0 → 2.1 families found on real 2.0 producers' files (docs/mapping/stix20.md): observable properties
 * that 2.1 removed, markings of an observed-data's embedded objects, granular selectors of renamed properties,
 * bare external references and the TLP definitions' names. Each case failed (value lost, marking lost, object
 * rejected or 2.1 output flagged) before its fix.
 */
import { join } from 'node:path';
import type { CliIo } from '../../../../src/main/cli-types';
import { convertCommand } from '../../../../src/main/commands/convert';
import { validateCommand } from '../../../../src/main/commands/validate';

const INPUT = join(__dirname, '../../../fixtures/mapping/stix20/upgrade-families.stix20.json');
const AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
const RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

interface Obj {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

function io(stdin: Buffer = Buffer.alloc(0)): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, readStdin: async () => stdin };
}

let objects: Obj[] = [];
let output = '';
let stderr = '';

beforeAll(async () => {
  const x = io();
  expect(await convertCommand(['--from', 'stix20', '--to', 'stix21', INPUT], x)).toBe(0);
  output = x.out.join('');
  stderr = x.err.join('');
  objects = (JSON.parse(output) as { objects: Obj[] }).objects;
});

const one = (pred: (o: Obj) => boolean): Obj => {
  const found = objects.find(pred);
  if (found === undefined) throw new Error('object not in the output');
  return found;
};

describe('STIX 2.0 → 2.1 upgrade families', () => {
  it('when a 2.0 observable has properties 2.1 removed, then their values are kept under x_stix20_ names', () => {
    const proc = one((o) => o.type === 'process');
    expect(proc['name']).toBeUndefined();
    expect(proc['x_stix20_name']).toBe('dropper.exe');
    expect(proc['x_stix20_arguments']).toEqual(['-q', '--install']);
    const zip = one((o) => o.type === 'file' && o['name'] === 'bundle.zip');
    expect(zip['is_encrypted']).toBeUndefined();
    expect(zip['x_stix20_is_encrypted']).toBe(true);
    expect(zip['x_stix20_encryption_algorithm']).toBe('AES256-CBC');
    expect(zip['x_stix20_decryption_key']).toBe('infected');
    expect(zip['x_stix20_archive_ext_version']).toBe('2.0');
    expect(zip['extensions']).toEqual({
      'archive-ext': { contains_refs: [one((o) => o['name'] === 'payload.dll').id], comment: 'password protected' },
    });
    const traffic = one((o) => o.type === 'network-traffic');
    expect(traffic['x_stix20_socket_ext_protocol_family']).toBe('PF_INET');
    expect(stderr).toContain('0 rejected by the pipeline');
  });

  it("when an observed-data is marked, then every SCO made from its objects carries the observed-data's markings", () => {
    for (const sco of objects.filter((o) => ['process', 'file', 'ipv4-addr', 'network-traffic'].includes(o.type))) {
      expect(sco['object_marking_refs']).toEqual(expect.arrayContaining([RED]));
    }
  });

  it('when a granular marking selects objects.K or objects.K.property, then it moves onto SCO K (renamed with the property)', () => {
    const observed = one((o) => o.type === 'observed-data');
    expect(observed['granular_markings']).toEqual([{ marking_ref: AMBER, selectors: ['number_observed'] }]);
    expect(one((o) => o.type === 'process')['granular_markings']).toEqual([{ marking_ref: AMBER, selectors: ['x_stix20_name'] }]);
    expect(one((o) => o['name'] === 'bundle.zip')['object_marking_refs']).toEqual([RED, AMBER]);
    expect(one((o) => o['name'] === 'payload.dll')['granular_markings']).toBeUndefined();
  });

  it('when a granular marking selects the 2.0 labels, then it selects the 2.1 indicator_types they moved to', () => {
    const ind = one((o) => o.type === 'indicator');
    expect(ind['indicator_types']).toEqual(['malicious-activity']);
    expect(ind['granular_markings']).toEqual([{ marking_ref: AMBER, selectors: ['indicator_types', 'pattern'] }]);
  });

  it('when an external reference names only its source, then the object is kept and the name becomes the description', () => {
    expect(one((o) => o.type === 'indicator')['external_references']).toEqual([
      { source_name: 'Example CERT bulletin', description: 'Example CERT bulletin' },
    ]);
    expect(stderr).toContain('STIX20_VALUE_REPAIRED');
  });

  it('when a 2.0 TLP definition is the official one, then it gets the official 2.1 name', () => {
    expect(one((o) => o.id === AMBER)['name']).toBe('TLP:AMBER');
    expect(one((o) => o.id === RED)['name']).toBe('TLP:RED');
  });

  it('when the upgraded document is validated strictly, then it passes', async () => {
    const v = io(Buffer.from(output));
    expect(await validateCommand(['-'], v)).toBe(0);
    expect(v.out.join('') + v.err.join('')).not.toContain('CUSTOM_PROPERTY_NAME');
  });
});
