/** What one bulk upsert did: new rows, rows whose values changed, rows already as given. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export const NO_CHANGES: UpsertCounts = Object.freeze({ inserted: 0, updated: 0, unchanged: 0 });

export function addCounts(a: UpsertCounts, b: UpsertCounts): UpsertCounts {
  return {
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
  };
}

/** Counts from `RETURNING (xmax = 0) AS inserted` of an upsert whose DO UPDATE skips unchanged rows. */
export function countsFrom(rows: Array<{ inserted: boolean }>, attempted: number): UpsertCounts {
  const inserted = rows.filter((row) => row.inserted).length;
  const updated = rows.length - inserted;
  return { inserted, updated, unchanged: attempted - rows.length };
}
