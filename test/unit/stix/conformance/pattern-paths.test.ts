/**
 * PATTERN_PATH_INVALID (docs/stix-conformance.md §9): a path that goes through a reference names a property of a
 * type the reference may point to; what cannot be known (custom types, x_ properties, open reference rules) is
 * left alone.
 */
import { patternPathIssues } from '../../../../src/stix/conformance/pattern-paths';

const codes = (pattern: string): string[] =>
  patternPathIssues(pattern, 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f').map((i) => i.code);

describe('pattern paths through references', () => {
  it.each([
    "[network-traffic:src_ref.value = '198.51.100.3']",
    "[email-message:to_refs[*].value = 'a@example.com']",
    "[email-message:from_ref.belongs_to_ref.user_id = 'alice']",
    "[file:parent_directory_ref.path = 'C:\\\\Windows']",
    "[network-traffic:src_ref.resolves_to_refs[*].value = '00:00:5e:00:53:af']",
  ])('when %s names a property of a type the reference allows, then nothing is reported', (pattern) => {
    expect(codes(pattern)).toEqual([]);
  });

  it.each([
    ["[file:parent_directory_ref.value = 'x']", 'a directory has no value'],
    ["[network-traffic:src_ref.name = 'x']", 'no address type has a name'],
    ["[email-message:to_refs[0].name = 'x']", 'an email-addr has no name'],
    ["[email-message:from_ref.belongs_to_ref.bogus = 'x']", 'two references deep'],
  ])('when %s (%s), then PATTERN_PATH_INVALID is reported', (pattern) => {
    expect(codes(pattern)).toEqual(['PATTERN_PATH_INVALID']);
  });

  it.each([
    "[file:x_example_ref.anything = 'x']",
    "[x-example-asset:owner_ref.anything = 'x']",
    "[file:contains_refs[*].anything = 'x']",
    "[file:name = 'a' AND file:size = 1",
  ])('when %s cannot be checked (custom, open rule or no parse), then nothing is reported', (pattern) => {
    expect(codes(pattern)).toEqual([]);
  });

  it('when two observations each hold a bad path, then each is reported at its own offset', () => {
    const issues = patternPathIssues("[file:parent_directory_ref.value = 'a'] AND [network-traffic:dst_ref.name = 'b']", 'indicator--x');
    expect(issues.map((i) => i.path)).toEqual(['/pattern@[1,38]', '/pattern@[45,79]']);
  });
});
