/** The openioc format's entry of the format table (src/mapping/registry.ts). */
import { exportOpenioc } from '../openioc/export';
import { importOpenioc } from '../openioc/import';
import type { FormatDefinition } from '../format-definition';

export const definition: FormatDefinition = {
  format: 'openioc',
  title: 'OpenIOC',
  mediaType: 'application/xml',
  extension: 'ioc',
  import: (input, ctx) => importOpenioc(input, ctx),
  export: (objects, ctx) => exportOpenioc(objects, ctx.title === undefined ? {} : { name: ctx.title }),
};
