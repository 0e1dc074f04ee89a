import { utf8Text } from '../../../src/common/text';

describe('utf8Text', () => {
  it('decodes ASCII and non-ASCII UTF-8 to the same text as toString("utf8")', () => {
    for (const text of ['', '{"objects":[]}', 'x'.repeat(2_000_000), '{"name":"Вредонос ж"}', `${'a'.repeat(1_500_000)}é`]) {
      const bytes = Buffer.from(text, 'utf8');
      expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
    }
  });
});
