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

/**
 * The ids of the last `capacity` records, for a read that keeps no records: a row that shifts
 * between pages comes back on a neighbouring page, so a repeat is always among the most recent.
 */
export class RecentIds {
	private readonly ids = new Set<string>();
	private readonly ring: string[] = [];
	private next = 0;

	constructor(private readonly capacity: number) {}

	/** True when `id` is not among the recent ones (it is remembered from now on). */
	add(id: string): boolean {
		if (this.ids.has(id)) return false;
		if (this.ring.length < this.capacity) {
			this.ring.push(id);
		} else {
			this.ids.delete(this.ring[this.next]);
			this.ring[this.next] = id;
			this.next = (this.next + 1) % this.capacity;
		}
		this.ids.add(id);
		return true;
	}
}
