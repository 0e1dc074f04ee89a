/**
 * STIX 2.1 → STIX 1 → STIX 2.1 through our own exporter and importer: what the exporter keeps in CybOX custom
 * properties, structured Received lines and victim TTPs must come back as they were (the named losses of the
 * last round: custom properties came back as `x_…` names, structured Received lines were dropped in silence,
 * a targeted identity came back under the TTP's id).
 */
import { exportStix1 } from '../../../../src/mapping/stix1/export';
import { importStix1 } from '../../../../src/mapping/stix1/import';
import type { StixObject } from '../../../../src/mapping/types';
import { parsePattern } from '../../../../src/stix/pattern';
import { patternComparisons } from '../../../../src/stix/pattern/comparisons';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };
const T = '2024-01-01T00:00:00.000Z';

function ind(n: number, pattern: string): StixObject {
  const id = `indicator--6d1e0000-0000-4000-8000-00000000000${n}`;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: T,
    modified: T,
    name: `i${n}`,
    pattern,
    pattern_type: 'stix',
    valid_from: T,
  };
}

/** The comparisons of a pattern as sorted `type:path op value` lines (order inside `[…]` is not meaning). */
function comparisons(pattern: unknown): string[] {
  const parsed = typeof pattern === 'string' ? parsePattern(pattern).value : undefined;
  if (parsed === undefined) return [`unparsable: ${String(pattern)}`];
  return patternComparisons(parsed)
    .map((c) => `${c.objectType}:${c.path} ${c.operator} ${JSON.stringify(c.value)}`)
    .sort();
}

function roundTrip(objects: readonly StixObject[]): StixObject[] {
  const exported = exportStix1(objects);
  return importStix1(exported.output, OPTS).objects;
}

describe('STIX 2.1 → STIX 1 → STIX 2.1 round trip', () => {
  const patterns = [
    "[email-message:subject = 'Invoice' AND email-message:received_lines[*] = 'from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id 4711']",
    "[file:name = 'a.pdf' AND file:mime_type = 'application/pdf']",
    "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:extensions.'icmp-ext'.icmp_type_hex = '08']",
    "[email-message:from_ref.value = 'a@example.com' AND email-message:from_ref.display_name = 'Alice']",
    "[file:hashes.MD5 = '0123456789abcdef0123456789abcdef' AND file:x_campaign = 'c7']",
  ];

  it('when patterns hold comparisons CybOX has no element for, then each comes back with its own path and value', () => {
    const input = patterns.map((p, i) => ind(i + 1, p));
    const back = roundTrip(input);
    expect(stixOutputProblems(back)).toEqual([]);
    for (const o of input) {
      const again = back.find((x) => x.id === o.id);
      expect(comparisons(again?.['pattern'])).toEqual(comparisons(o['pattern']));
    }
  });

  it('when a custom property names a path of another type, a reserved property or an extension STIX 2.1 does not define, then it stays an x_ property', () => {
    const xml = `<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:indicator="http://stix.mitre.org/Indicator-2"
      xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:cyboxCommon="http://cybox.mitre.org/common-2"
      xmlns:FileObj="http://cybox.mitre.org/objects#FileObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xmlns:ex="http://example.com" id="ex:Package-1f0e0000-0000-4000-8000-000000000001" version="1.2" timestamp="2024-01-01T00:00:00Z">
      <stix:Indicators><stix:Indicator id="ex:indicator-1f0e0000-0000-4000-8000-000000000002" xsi:type="indicator:IndicatorType">
      <indicator:Observable id="ex:Observable-1f0e0000-0000-4000-8000-000000000003"><cybox:Object>
      <cybox:Properties xsi:type="FileObj:FileObjectType"><cyboxCommon:Custom_Properties>
      <cyboxCommon:Property name="subject">not a file property</cyboxCommon:Property>
      <cyboxCommon:Property name="id">file--0</cyboxCommon:Property>
      <cyboxCommon:Property name="extensions.'nonsense'.x">1</cyboxCommon:Property>
      <cyboxCommon:Property name="extensions.'x-made-up-ext'.y">2</cyboxCommon:Property>
      </cyboxCommon:Custom_Properties><FileObj:File_Name condition="Equals">a.exe</FileObj:File_Name></cybox:Properties>
      </cybox:Object></indicator:Observable></stix:Indicator></stix:Indicators></stix:STIX_Package>`;
    const out = importStix1(xml, OPTS);
    const pattern = out.objects.find((o) => o.type === 'indicator')?.['pattern'];
    expect(comparisons(pattern)).toEqual([
      'file:name = "a.exe"',
      'file:x_extensions_nonsense_x = "1"',
      'file:x_extensions_x_made_up_ext_y = "2"',
      'file:x_id = "file--0"',
      'file:x_subject = "not a file property"',
    ]);
  });

  it('when an observed e-mail has received lines, then the structured ones come back as received lines', () => {
    const email: StixObject = {
      type: 'email-message',
      spec_version: '2.1',
      id: 'email-message--6d1e0000-0000-4000-8000-0000000000a1',
      is_multipart: false,
      subject: 'Invoice',
      received_lines: [
        'from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id 4711; Tue, 19 Jul 2016 07:20:40 -0700',
        'from relay.example.net by mail.example.com with SMTP',
        'a line that is not trace clauses',
      ],
    };
    const observed: StixObject = {
      type: 'observed-data',
      spec_version: '2.1',
      id: 'observed-data--6d1e0000-0000-4000-8000-0000000000a2',
      created: T,
      modified: T,
      first_observed: T,
      last_observed: T,
      number_observed: 1,
      object_refs: [email.id],
    };
    const back = roundTrip([email, observed]);
    expect(stixOutputProblems(back)).toEqual([]);
    const lines = back.find((o) => o.type === 'email-message')?.['received_lines'];
    expect(Array.isArray(lines) ? [...lines].sort() : lines).toEqual(
      [
        'a line that is not trace clauses',
        // The offset is not in CybOX (the exporter writes the instant): the same instant comes back in UTC.
        'from mail.example.com ([198.51.100.3]) by mx.example.org with ESMTPS id 4711; Tue, 19 Jul 2016 14:20:40 +0000',
        'from relay.example.net by mail.example.com with SMTP',
      ].sort(),
    );
  });

  it('when a threat actor targets an identity, then it comes back as targets of that same identity (not uses)', () => {
    const actor: StixObject = {
      type: 'threat-actor',
      spec_version: '2.1',
      id: 'threat-actor--6d1e0000-0000-4000-8000-0000000000b1',
      created: T,
      modified: T,
      name: 'Actor X',
    };
    const victim: StixObject = {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--6d1e0000-0000-4000-8000-0000000000b2',
      created: T,
      modified: T,
      name: 'Banks',
      identity_class: 'class',
    };
    const rel: StixObject = {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--6d1e0000-0000-4000-8000-0000000000b3',
      created: T,
      modified: T,
      relationship_type: 'targets',
      source_ref: actor.id,
      target_ref: victim.id,
    };
    const back = roundTrip([actor, victim, rel]);
    expect(stixOutputProblems(back)).toEqual([]);
    const rels = back
      .filter((o) => o.type === 'relationship')
      .map((o) => `${String(o['source_ref'])} ${String(o['relationship_type'])} ${String(o['target_ref'])}`);
    expect(rels).toEqual([`${actor.id} targets ${victim.id}`]);
    expect(back.find((o) => o.id === victim.id)?.['name']).toBe('Banks');
  });

  it('when a threat actor targets two identities, then both come back as targets (the second was lost)', () => {
    const mk = (n: number, extra: Record<string, unknown>): StixObject => ({
      spec_version: '2.1',
      id: `${String(extra['type'])}--6d1e0000-0000-4000-8000-0000000000c${n}`,
      created: T,
      modified: T,
      type: String(extra['type']),
      ...extra,
    });
    const actor = mk(1, { type: 'threat-actor', name: 'Actor Y' });
    const gov = mk(2, { type: 'identity', name: 'Example Gov', identity_class: 'organization' });
    const bank = mk(3, { type: 'identity', name: 'Example Bank', identity_class: 'organization' });
    const rels = [gov, bank].map((v, i) =>
      mk(4 + i, { type: 'relationship', relationship_type: 'targets', source_ref: actor.id, target_ref: v.id }),
    );
    const back = roundTrip([actor, gov, bank, ...rels]);
    expect(stixOutputProblems(back)).toEqual([]);
    const targets = back
      .filter((o) => o.type === 'relationship' && o['relationship_type'] === 'targets' && o['source_ref'] === actor.id)
      .map((o) => String(o['target_ref']))
      .sort();
    expect(targets).toEqual([gov.id, bank.id].sort());
    expect(back.find((o) => o.id === bank.id)?.['name']).toBe('Example Bank');
  });
});
