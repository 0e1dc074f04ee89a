/** The stix21 format's entry of the format table (src/mapping/registry.ts). */
import { exportStix21 } from '../stix21/export';
import { importStix21 } from '../stix21/import';
import { randomStixId } from '../../stix/identifiers';
import type { FormatDefinition, StreamingExporter } from '../format-definition';

/** A bundle never holds `"objects": []` (STIX 2.1 §8): the array is opened with the first object. */
const stix21Streaming: StreamingExporter = {
  begin: (ctx) => `{"type":"bundle","id":${JSON.stringify(ctx.bundleId ?? randomStixId('bundle'))}`,
  page: (objects, first) => ({
    output: objects.length === 0 ? '' : (first ? ',"objects":[' : ',') + objects.map((o) => JSON.stringify(o)).join(','),
    issues: [],
  }),
  end: (_ctx, empty) => (empty ? '}\n' : ']}\n'),
};

export const definition: FormatDefinition = {
  format: 'stix21',
  title: 'STIX 2.1',
  mediaType: 'application/stix+json;version=2.1',
  extension: 'json',
  import: (input) => importStix21(input),
  export: (objects, ctx) => exportStix21(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
  streaming: stix21Streaming,
};
