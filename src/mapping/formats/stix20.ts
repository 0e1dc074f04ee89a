/** The stix20 format's entry of the format table (src/mapping/registry.ts). */
import { exportStix20 } from '../stix20/export';
import { importStix20 } from '../stix21/import';
import type { FormatDefinition } from '../format-definition';

export const definition: FormatDefinition = {
  format: 'stix20',
  title: 'STIX 2.0',
  mediaType: 'application/stix+json;version=2.0',
  extension: 'stix20.json',
  import: (input) => importStix20(input),
  export: (objects, ctx) => exportStix20(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
};
