/** What the console's route groups (src/http/console/routes/) are given by the console router. */
import type { BrowseDeps } from '../../browse/object-browser';
import type { TaxiiDeps } from '../context';
import type { ConsoleServices } from './console-services';

export interface ConsoleContext {
  readonly deps: TaxiiDeps;
  readonly services: ConsoleServices;
  readonly browse: BrowseDeps;
  /** Clock (ms). */
  readonly now: () => number;
}
