import { normalizePattern, parsePattern, patternComparisons } from '../../../../src/stix/pattern';

function comparisonsOf(text: string): ReturnType<typeof patternComparisons> {
  const parsed = parsePattern(text);
  if (!parsed.value) throw new Error(`fixture does not parse: ${text}`);
  return patternComparisons(normalizePattern(parsed.value).value);
}

describe('patternComparisons', () => {
  it('when a pattern has several observations, then lists every comparison in written order with canonical values', () => {
    expect(
      comparisonsOf("[file:hashes.sha256 = 'AB' OR file:name NOT LIKE 'x%'] FOLLOWEDBY [ipv4-addr:value = '10.1.2.3/8'] WITHIN 5 SECONDS"),
    ).toEqual([
      { objectType: 'file', path: "hashes.'SHA-256'", operator: '=', value: 'AB' },
      { objectType: 'file', path: 'name', operator: 'NOT LIKE', value: 'x%' },
      { objectType: 'ipv4-addr', path: 'value', operator: '=', value: '10.0.0.0/8' },
    ]);
  });

  it('when a comparison uses IN, then yields one entry per item, with numbers and booleans typed', () => {
    expect(comparisonsOf("[network-traffic:dst_port IN ('443', 8080) AND x-a:b = true AND x-a:c = 2.5]")).toEqual([
      { objectType: 'network-traffic', path: 'dst_port', operator: 'IN', value: 443 },
      { objectType: 'network-traffic', path: 'dst_port', operator: 'IN', value: 8080 },
      { objectType: 'x-a', path: 'b', operator: '=', value: true },
      { objectType: 'x-a', path: 'c', operator: '=', value: 2.5 },
    ]);
  });

  it('when a comparison is EXISTS, then it is left out', () => {
    expect(comparisonsOf('[EXISTS file:name]')).toEqual([]);
  });
});

describe('normalizePattern', () => {
  it('when nothing needs a change, then returns the same AST object and no changes', () => {
    const parsed = parsePattern("[ipv4-addr:value = '1.2.3.4'] AND [file:name = 'a']");
    if (!parsed.value) throw new Error('fixture does not parse');
    const r = normalizePattern(parsed.value);
    expect(r.value).toBe(parsed.value);
    expect(r.changes).toEqual([]);
  });

  it('when a value changes, then the input AST is left untouched and the change names before and after', () => {
    const parsed = parsePattern("[domain-name:value = 'EVIL[.]com']");
    if (!parsed.value) throw new Error('fixture does not parse');
    const before = JSON.stringify(parsed.value);
    const r = normalizePattern(parsed.value);
    expect(JSON.stringify(parsed.value)).toBe(before);
    expect(r.changes).toEqual([
      expect.objectContaining({
        code: 'REFANGED',
        severity: 'warning',
        path: '/pattern@[21,33]',
        message: expect.stringContaining("'EVIL.com'"),
      }),
      expect.objectContaining({ code: 'PATTERN_VALUE_CANONICALIZED', severity: 'info', message: expect.stringContaining("'evil.com'") }),
    ]);
  });
});
