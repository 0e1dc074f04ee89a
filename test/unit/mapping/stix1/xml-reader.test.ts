import { attr, child, parseXml, xsiType } from '../../../../src/mapping/common/xml';

describe('parseXml', () => {
  it('when two prefixes name the same namespace, then elements and xsi:type resolve to the same URI', () => {
    const xml =
      '<a:root xmlns:a="urn:x" xmlns:b="urn:x" xmlns:t="urn:types" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><b:item xsi:type="t:Kind" v="1 &amp; 2"/></a:root>';
    const { root, issues } = parseXml(xml, { format: 'test' });
    expect(issues).toEqual([]);
    expect(root?.ns).toBe('urn:x');
    const item = root === undefined ? undefined : child(root, 'urn:x', 'item');
    expect(item === undefined ? undefined : xsiType(item)).toEqual({ ns: 'urn:types', local: 'Kind' });
    expect(item === undefined ? undefined : attr(item, 'v')).toBe('1 & 2');
  });

  it('when the document nests deeper than the limit, then one error issue is returned', () => {
    const xml = '<a>'.repeat(300) + '</a>'.repeat(300);
    const { root, issues } = parseXml(xml, { format: 'test', maxDepth: 100 });
    expect(root).toBeUndefined();
    expect(issues.map((i) => i.severity)).toEqual(['error']);
  });

  it('when the input exceeds the size limit, then XML_TOO_LARGE is returned', () => {
    const { issues } = parseXml('<a>' + 'x'.repeat(2000) + '</a>', { format: 'test', maxBytes: 1000 });
    expect(issues.map((i) => i.code)).toEqual(['XML_TOO_LARGE']);
  });

  it('when a BOM and comments precede the root, then the root is read', () => {
    const { root } = parseXml('\ufeff<?xml version="1.0"?>\r\n<!-- c -->\r\n<r xmlns="urn:r"><![CDATA[<x>]]></r>', { format: 'test' });
    expect(root?.local).toBe('r');
    expect(root?.text).toBe('<x>');
  });
});
