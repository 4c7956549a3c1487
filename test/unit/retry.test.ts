import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfterMs } from '../../nodes/transport/retry';

describe('retry policy', () => {
	test('backoff doubles per retry, stays within [step/2, step] and is capped', () => {
		const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
		expect(backoffDelayMs(0, policy, () => 0)).toBe(50);
		expect(backoffDelayMs(0, policy, () => 1)).toBe(100);
		expect(backoffDelayMs(2, policy, () => 0)).toBe(200);
		expect(backoffDelayMs(2, policy, () => 1)).toBe(400);
		expect(backoffDelayMs(9, policy, () => 1)).toBe(1_000);
		expect(DEFAULT_RETRY_POLICY.maxRetries).toBeGreaterThan(0);
	});

	test('Retry-After is read as seconds or as an HTTP date', () => {
		const now = Date.parse('2024-01-01T00:00:00Z');
		expect(parseRetryAfterMs('2', now)).toBe(2_000);
		expect(parseRetryAfterMs(['1.5'], now)).toBe(1_500);
		expect(parseRetryAfterMs('Mon, 01 Jan 2024 00:00:03 GMT', now)).toBe(3_000);
		expect(parseRetryAfterMs('soon', now)).toBeUndefined();
		expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
	});
});
