/** The stix21 format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportStix21 } from '../stix21/export';
import { importStix21 } from '../stix21/import';
import { randomStixId } from '../../stix/identifiers';
import type { FormatConverters, StreamingExporter } from '../format-definition';

/** A bundle never holds `"objects": []` (STIX 2.1 §8): the array is opened with the first object. */
const stix21Streaming: StreamingExporter = {
  begin: (ctx) => `{"type":"bundle","id":${JSON.stringify(ctx.bundleId ?? randomStixId('bundle'))}`,
  page: (objects, first) => ({
    output: objects.length === 0 ? '' : (first ? ',"objects":[' : ',') + objects.map((o) => JSON.stringify(o)).join(','),
    issues: [],
  }),
  end: (_ctx, empty) => (empty ? '}\n' : ']}\n'),
};

export const converters: FormatConverters = {
  import: (input) => importStix21(input),
  export: (objects, ctx) => exportStix21(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
  streaming: stix21Streaming,
};
