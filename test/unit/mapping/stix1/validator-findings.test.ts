/**
 * STIX 1 import outputs the OASIS validator fails although STIX 1 allows the input: a `capec_id` that is not a
 * CAPEC id (a bare number, an ATT&CK technique id) and a CybOX Product `Language` written as a name. Each case checks
 * the value is kept in a valid form or reported, never written invalid.
 */
import { importStix1 } from '../../../../src/mapping/stix1/import';
import { stixOutputProblems } from '../../../helpers/stix-output';

const OPTS = { now: '2024-01-01T00:00:00Z' };

function pkg(body: string): string {
  return (
    '<stix:STIX_Package xmlns:stix="http://stix.mitre.org/stix-1" xmlns:ttp="http://stix.mitre.org/TTP-1" ' +
    'xmlns:cybox="http://cybox.mitre.org/cybox-2" xmlns:cyboxCommon="http://cybox.mitre.org/common-2" ' +
    'xmlns:ProductObj="http://cybox.mitre.org/objects#ProductObject-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xmlns:ex="http://example.com" id="ex:Package-5a0e0000-0000-4000-8000-000000000001" version="1.2" timestamp="2024-01-01T00:00:00Z">' +
    body +
    '</stix:STIX_Package>'
  );
}

function attackPatterns(capecIds: string[]): Record<string, unknown>[] {
  const aps = capecIds
    .map((c, i) => `<ttp:Attack_Pattern capec_id="${c}"><ttp:Title>pattern ${i}</ttp:Title></ttp:Attack_Pattern>`)
    .join('');
  const r = importStix1(
    pkg(
      '<stix:TTPs><stix:TTP id="ex:ttp-5a0e0000-0000-4000-8000-000000000002" xsi:type="ttp:TTPType">' +
        `<ttp:Behavior><ttp:Attack_Patterns>${aps}</ttp:Attack_Patterns></ttp:Behavior></stix:TTP></stix:TTPs>`,
    ),
    OPTS,
  );
  expect(stixOutputProblems(r.objects)).toEqual([]);
  return r.objects.filter((o) => o.type === 'attack-pattern');
}

function product(language: string): { objects: Record<string, unknown>[]; codes: string[] } {
  const r = importStix1(
    pkg(
      '<stix:Observables><cybox:Observable id="ex:Observable-5a0e0000-0000-4000-8000-000000000003"><cybox:Object>' +
        '<cybox:Properties xsi:type="ProductObj:ProductObjectType"><ProductObj:Product>Viewer</ProductObj:Product>' +
        `<ProductObj:Language>${language}</ProductObj:Language></cybox:Properties></cybox:Object></cybox:Observable></stix:Observables>`,
    ),
    OPTS,
  );
  expect(stixOutputProblems(r.objects)).toEqual([]);
  return { objects: r.objects, codes: r.issues.map((i) => i.code) };
}

describe('STIX 1 import: values STIX 1 allows and the OASIS validator does not', () => {
  it('when an attack pattern gives capec_id as a bare number, then the reference is capec CAPEC-<n>', () => {
    const [ap] = attackPatterns(['163']);
    expect(ap?.['external_references']).toEqual([{ source_name: 'capec', external_id: 'CAPEC-163' }]);
  });

  it('when capec_id holds an ATT&CK technique id, then it is kept under mitre-attack, not as an invalid CAPEC id', () => {
    const [ap] = attackPatterns(['T1068']);
    expect(ap?.['external_references']).toEqual([{ source_name: 'mitre-attack', external_id: 'T1068' }]);
  });

  it('when capec_id is already CAPEC-<n> or something else, then CAPEC ids stay and the rest is kept under its own source', () => {
    const refs = attackPatterns(['capec-98', 'phishing']).map((ap) => ap['external_references']);
    expect(refs).toEqual([
      [{ source_name: 'capec', external_id: 'CAPEC-98' }],
      [{ source_name: 'stix1-capec-id', external_id: 'phishing' }],
    ]);
  });

  it('when a product language is a name, an ISO 639-1/639-2 code or a tag, then software languages holds its ISO 639-2 code', () => {
    expect(product('English').objects.find((o) => o.type === 'software')?.['languages']).toEqual(['eng']);
    expect(product('RUS').objects.find((o) => o.type === 'software')?.['languages']).toEqual(['rus']);
    expect(product('en-US').objects.find((o) => o.type === 'software')?.['languages']).toEqual(['eng']);
  });

  it('when a product language is neither a code nor a known name, then it is reported, not written invalid', () => {
    const r = product('Klingonese');
    expect(r.objects.find((o) => o.type === 'software')?.['languages']).toBeUndefined();
    expect(r.codes).toContain('INVALID_VALUE');
  });
});
