/**
 * Keeping each record once: pages that overlap after rows shift, windows and shards that share
 * their boundary second, and cursor calls that repeat the boundary second all yield repeats.
 */

/** Appends the records whose id `seen` does not hold yet, in order, and remembers their ids. */
export function appendNew<R>(out: R[], seen: Set<string>, records: R[], idOf: (record: R) => string): void {
	for (const record of records) {
		const id = idOf(record);
		if (!seen.has(id)) {
			seen.add(id);
			out.push(record);
		}
	}
}

/** Joins lists in order, keeping the first record of each id. */
export function concatUnique<R>(lists: R[][], idOf: (record: R) => string): R[] {
	const out: R[] = [];
	const seen = new Set<string>();
	for (const list of lists) appendNew(out, seen, list, idOf);
	return out;
}
