/**
 * Third round: what other producers (OpenCTI, the stix2 library's examples, ATT&CK-style bundles) say beside
 * the values, kept in the MISP export and read back: a report's description (MISP events have none: an event
 * report), an indicator's own kill-chain phases (tags), its name when no description says more, its external
 * references (comment lines), and MISP event reports themselves. Before, each was dropped without an issue.
 */
import { exportMisp } from '../../../../src/mapping/misp/export';
import { importMisp } from '../../../../src/mapping/misp/import';
import type { StixObject } from '../../../../src/mapping/types';

const T = '2024-01-01T00:00:00.000Z';
const IND = 'indicator--5c1d0000-0000-4000-8000-000000000001';

interface Attribute {
  value: string;
  comment: string;
  Tag?: { name: string }[];
}
interface Event {
  Attribute: Attribute[];
  EventReport?: { name: string; content: string }[];
}

function toEvent(objects: StixObject[]): Event {
  return (JSON.parse(exportMisp(objects).output) as { Event: Event }).Event;
}

function indicator(extra: Record<string, unknown>): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: IND,
    created: T,
    modified: T,
    pattern: "[file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877']",
    pattern_type: 'stix',
    valid_from: T,
    ...extra,
  };
}

const report: StixObject = {
  type: 'report',
  spec_version: '2.1',
  id: 'report--5c1d0000-0000-4000-8000-000000000002',
  created: T,
  modified: T,
  name: 'Campaign X',
  description: 'Report describing campaign X',
  published: T,
  report_types: ['threat-report'],
  object_refs: [IND],
};

describe('STIX 2.1 context of other producers → MISP (third round)', () => {
  it('when a report has a description, then the event keeps it as an event report that reads back as a note', () => {
    const objects = [report, indicator({})];
    expect(toEvent(objects).EventReport).toEqual([expect.objectContaining({ content: 'Report describing campaign X' })]);
    const back = importMisp(exportMisp(objects).output, { now: T }).objects;
    expect(back.find((o) => o.type === 'note')?.['content']).toBe('Report describing campaign X');
  });

  it('when an indicator has kill-chain phases of its own, then they ride as tags and come back as phases', () => {
    const phase = { kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' };
    const [a] = toEvent([indicator({ kill_chain_phases: [phase] })]).Attribute;
    expect(a?.Tag).toContainEqual({ name: 'stix:kill-chain-phase="lockheed-martin-cyber-kill-chain:delivery"' });
    const back = importMisp(exportMisp([indicator({ kill_chain_phases: [phase] })]).output, { now: T }).objects;
    expect(back.find((o) => o.type === 'indicator')?.['kill_chain_phases']).toContainEqual(phase);
  });

  it('when an indicator has a name and no description, then the name is the comment (a name equal to the value is not repeated)', () => {
    expect(toEvent([indicator({ name: 'File hash for malware variant' })]).Attribute[0]?.comment).toBe('File hash for malware variant');
    const sameAsValue = indicator({ name: '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877' });
    expect(toEvent([sameAsValue]).Attribute[0]?.comment).toBe('');
  });

  it('when an indicator has external references, then each is a reference line of the comment after the description', () => {
    const refs = [{ source_name: 'vendor', url: 'https://vendor.example/x', external_id: 'VX-1' }];
    const [a] = toEvent([indicator({ description: 'Dropper', external_references: refs })]).Attribute;
    expect(a?.comment).toBe('Dropper\nreference: vendor VX-1 https://vendor.example/x');
  });

  it('when a MISP event report goes to STIX and back, then it is an event report again (not a text attribute)', () => {
    const event = {
      Event: {
        uuid: '5c1d0000-0000-4000-8000-00000000e001',
        info: 'with a write-up',
        date: '2024-01-01',
        timestamp: '1704067200',
        EventReport: [{ uuid: '5c1d0000-0000-4000-8000-00000000f001', name: 'Analysis', content: '# Findings\nThe loader ...' }],
      },
    };
    const again = toEvent(importMisp(JSON.stringify(event), { now: T }).objects);
    expect(again.EventReport).toEqual([expect.objectContaining({ name: 'Analysis', content: '# Findings\nThe loader ...' })]);
    expect(again.Attribute).toEqual([]);
  });
});
