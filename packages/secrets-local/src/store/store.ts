import { DataFileWriter, loadDataFile } from './data-file';
import { emptyStoreData, type StoreData } from './state';

/**
 * The endpoint's state. Reads are synchronous from memory. Every change goes through `mutate`
 * with a synchronous function, so changes never interleave (one secret's version history stays
 * consistent however many requests arrive at once); each call resolves once the data file (when
 * there is one) holds that change. Writes coalesce, so a burst of changes costs few fsyncs.
 */
export class Store {
  private constructor(
    readonly data: StoreData,
    private readonly writer: DataFileWriter | undefined,
  ) {}

  static async open(dataFile: string | undefined): Promise<Store> {
    if (dataFile === undefined) return new Store(emptyStoreData(), undefined);
    const data = await loadDataFile(dataFile);
    return new Store(data, new DataFileWriter(dataFile, () => data));
  }

  async mutate<T>(change: (data: StoreData) => T): Promise<T> {
    const result = change(this.data);
    await this.writer?.save();
    return result;
  }

  async flush(): Promise<void> {
    await this.writer?.flush();
  }
}
