import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataFileError } from '../errors';
import { emptyStoreData, type StoreData, StoreDataSchema } from './state';

/**
 * Reads the data file. A missing file is an empty store; anything unreadable, not JSON or
 * not of the expected shape is a DataFileError, and the file is left exactly as it was.
 */
export async function loadDataFile(file: string): Promise<StoreData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyStoreData();
    throw new DataFileError(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = StoreDataSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
    throw new DataFileError(
      file,
      `does not have the expected shape${where}: ${first?.message ?? 'invalid'}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

/**
 * Writes snapshots atomically (temp file in the same directory, fsync, rename, fsync of the
 * directory) and one at a time. Calls made while a write is running coalesce into one next write,
 * which takes its snapshot when it starts, so it includes every change made before it.
 */
export class DataFileWriter {
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private dirCreated = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => StoreData,
  ) {}

  /** Resolves once a write that includes every change made before this call is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.writeNow(JSON.stringify(this.snapshot(), null, 2));
      });
    this.queued = next;
    this.running = next;
    return next;
  }

  /** Waits for every scheduled write. */
  async flush(): Promise<void> {
    await this.running.catch(() => undefined);
  }

  private async writeNow(text: string): Promise<void> {
    const dir = dirname(this.file);
    if (!this.dirCreated) {
      await mkdir(dir, { recursive: true });
      this.dirCreated = true;
    }
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dir);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}
