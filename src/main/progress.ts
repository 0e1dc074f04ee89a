/**
 * Progress of a long `import` or `export` on the operator's terminal (cli-progress, drawn on stderr), and
 * nothing at all when stderr is not a terminal: scripts and logs get only the final status. Only the import and
 * export commands load this module (src/main/cli.ts loads each command on demand).
 */
import { Presets, SingleBar } from 'cli-progress';
import type { CliIo } from './cli-types';

export interface Progress {
  /** Sets the count done (and the total, when it becomes known). */
  update(done: number, total?: number): void;
  stop(): void;
}

/** Draws nothing. */
export const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar labelled `label` with `unit` (e.g. "objects"). `stream` is where it is drawn (stderr; tests
 * pass a stream of their own); with no terminal there, nothing is drawn.
 */
export function progressBar(
  io: CliIo,
  label: string,
  unit: string,
  stream?: NodeJS.WritableStream & { readonly isTTY?: boolean },
): Progress {
  const target = stream ?? (io.stderrIsTty === true ? process.stderr : undefined);
  if (target === undefined || target.isTTY !== true) return NO_PROGRESS;
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} ${unit} | {duration_formatted}`,
      stream: target,
      hideCursor: true,
      fps: 5,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? Math.max(done, 1), done);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        else if (done > bar.getTotal()) bar.setTotal(done);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
