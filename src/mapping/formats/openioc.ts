/** The openioc format's converters; its facts (title, media type, extension) are in src/mapping/format-definition.ts. */
import { exportOpenioc } from '../openioc/export';
import { importOpenioc } from '../openioc/import';
import type { FormatConverters } from '../format-definition';

export const converters: FormatConverters = {
  import: (input, ctx) => importOpenioc(input, ctx),
  export: (objects, ctx) => exportOpenioc(objects, ctx.title === undefined ? {} : { name: ctx.title }),
};
