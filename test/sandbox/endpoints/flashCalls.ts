import type { ZoneClock } from '../../../nodes/transport/time';
import { intBetween } from '../random';
import type { StoredRecord } from '../store';
import { digits } from '../store';

export const NXCLOUD_DEMO_APP = { appKey: 'demo-app-key', appSecret: 'demo-app-secret' };
export const FLASH_CALL_MAX_ROWS = 100;

/** One flash-call CDR as NXCloud sends it: `yyyy-MM-dd HH:mm:ss` times in the API's zone, price as a number. */
export function makeFlashCall(random: () => number, seq: number, startMs: number, clock: ZoneClock): StoredRecord {
	const answered = random() < 0.7;
	const msisdn = `91${digits(random, 10)}`;
	const calling = `2150${digits(random, 6)}`;
	const startAt = startMs + intBetween(random, 1, 4) * 1000;
	const wire: Record<string, unknown> = {
		id: 1_000 + seq,
		customerId: 1,
		appId: 1,
		msisdn,
		callingNumber: calling,
		token: calling.slice(-4),
		requestId: digits(random, 32),
		ip: null,
		price: answered ? Number((0.002 + random() * 0.01).toFixed(4)) : 0.0,
		gmtCreate: clock.toPlain(startMs),
		gmtModified: answered ? clock.toPlain(startAt + 5_000) : null,
		callStartAt: answered ? clock.toPlain(startAt) : null,
		callEndAt: answered ? clock.toPlain(startAt + 3_000) : null,
		callbackAt: null,
		callStatus: 0,
	};
	return { startMs, id: String(1_000 + seq), wire };
}
