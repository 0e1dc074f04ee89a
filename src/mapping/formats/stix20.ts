/** The stix20 format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportStix20 } from '../stix20/export';
import { importStix20 } from '../stix21/import';
import type { FormatConverters } from '../format-definition';

export const converters: FormatConverters = {
  import: (input) => importStix20(input),
  export: (objects, ctx) => exportStix20(objects, ctx.bundleId === undefined ? {} : { bundleId: ctx.bundleId }),
};
