/**
 * Files only the gateway's own user may read (generated credentials' hashes, the inquiry signing key): created
 * exclusively with mode 0600 and synced to disk before the caller makes them visible under their final name.
 */
import { open } from 'node:fs/promises';

/** Writes `text` into a new file at `path` (mode 0600; fails if it exists) and syncs it to disk. */
export async function writeNewPrivateFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
