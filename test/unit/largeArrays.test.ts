/** Shipped code spreads no unbounded array into a call: past about 120,000 elements V8 throws "Maximum call stack size exceeded". */
import { mergeInOrder } from '../../nodes/transport/paginate';

test('mergeInOrder keeps 200,000 records only the older read saw after their anchor, without overflowing the stack', () => {
	const older = Array.from({ length: 200_001 }, (_, i) => `r${i}`);
	const merged = mergeInOrder(['r0'], older, (r) => r);
	expect(merged).toHaveLength(200_001);
	expect(merged[0]).toBe('r0');
	expect(merged[200_000]).toBe('r200000');
});
