/**
 * Group commit: every call made in one turn of the event loop is handed to
 * `runAll` together, once, just after that turn's I/O callbacks. Under a
 * burst of webhook events this makes one SQLite commit (about four pages
 * written) serve every event that arrived together, instead of one each.
 */
export function groupPerTurn<I, O>(runAll: (items: I[]) => O[]): (item: I) => Promise<O> {
  let batch: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  const flush = () => {
    const taken = batch;
    batch = [];
    let results: O[];
    try {
      results = runAll(taken.map((t) => t.item));
    } catch (e) {
      for (const t of taken) t.reject(e);
      return;
    }
    taken.forEach((t, i) => t.resolve(results[i]!));
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ item, resolve, reject });
    });
}
