import type { ZoneClock } from '../../../nodes/transport/time';
import { intBetween, pick } from '../random';
import type { StoredRecord } from '../store';
import { digits } from '../store';

const GROUPS = [
	{ voiceGroupId: 12, sipGroupName: 'tele-basic-test' },
	{ voiceGroupId: 15, sipGroupName: 'sales-emea' },
	{ voiceGroupId: 21, sipGroupName: 'support-apac' },
] as const;
const COUNTRIES = ['86(China)', '91(India)', '62(Indonesia)', '1(United States)', '234(Nigeria)'];
const LABELS = ['vip', 'callback', 'complaint', 'new-lead'];
/** The call center's agents: the provider knows each one's id (the seatId filter), its answers name the agent only (seatName). */
const SEAT_IDS = new Map(Array.from({ length: 8 }, (_, i) => [`agent-${101 + i}`, 101 + i]));
const seatIdOf = (wire: Record<string, any>) => SEAT_IDS.get(String(wire.seatName)) ?? null;
const ERROR_REASONS = ['sucess call(200)', 'busy(486)', 'no answer(480)', 'failed(503)'];

/** One call-center record in the endpoint's own dialect: calledInfo as JSON in a string, labelName as "[...]", the agent by name only. */
export function makeCallCenterRecord(random: () => number, seq: number, startMs: number, clock: ZoneClock): StoredRecord {
	const group = pick(random, GROUPS);
	const seatId = intBetween(random, 101, 108);
	const callType = intBetween(random, 1, 3);
	const hangupReason = intBetween(random, 0, 9);
	const answered = hangupReason === 1 || hangupReason === 3 || hangupReason === 9;
	const ring = intBetween(random, 1, 20);
	const duration = answered ? intBetween(random, 5, 600) : 0;
	const labels = LABELS.filter(() => random() < 0.2);
	const ccode = pick(random, COUNTRIES);
	const keyId = 50_000_000 + seq;
	const callee = ccode.split('(')[0] + digits(random, 10);
	const hangupMs = startMs + (ring + duration) * 1000;
	const wire: Record<string, unknown> = {
		keyId,
		callSessionId: `${clock.toPlain(startMs).replace(/\D/g, '').slice(2)}${String(seq).padStart(5, '0')}`,
		called: null,
		encryptCalled: callee,
		calledInfo: JSON.stringify({ calledInfo1: random() < 0.3 ? 'order 4711' : null, calledInfo2: null }),
		caller: `8613200${String(seatId).padStart(6, '0')}`,
		region: null,
		seatName: `agent-${seatId}`,
		sipGroupName: group.sipGroupName,
		voiceGroupId: group.voiceGroupId,
		callDuration: duration,
		callType,
		hangupReason,
		hangupCode: answered ? '200' : pick(random, ['486', '480', '503', '1']),
		callStartTime: clock.toPlain(startMs),
		calledAnswerTime: answered ? clock.toPlain(startMs + ring * 1000) : null,
		calledHangupTime: clock.toPlain(hangupMs),
		voiceUrl: answered ? `agent-call-record/${keyId}.wav` : '',
		// Every fifth answered call was recorded in two parts (no random draw: the seeded data stays as it was).
		voiceUrlList: answered ? (keyId % 5 === 0 ? [`agent-call-record/${keyId}.wav`, `agent-call-record/${keyId}-2.wav`] : [`agent-call-record/${keyId}.wav`]) : [],
		createTime: clock.toPlain(hangupMs),
		updateTime: clock.toPlain(hangupMs),
		ccode,
		hangingDirection: pick(random, [0, 1, 3]),
		labelName: JSON.stringify(labels),
		labelNameList: labels,
		remark: '',
		callId: `${keyId}0100100`,
		brandId: 101,
		brandName: 'ITNIO',
		errorReason: answered ? ERROR_REASONS[0] : pick(random, ERROR_REASONS.slice(1)),
		ringDuration: ring,
		mediaDetected: null,
	};
	return { startMs, id: String(keyId), wire };
}

/** The documented filters, as the provider applies them (each narrows the set). */
export function callCenterFilter(params: Record<string, any>): ((wire: Record<string, any>) => boolean) | string {
	const checks: Array<(w: Record<string, any>) => boolean> = [];
	const list = (name: string, kind: 'number' | 'string') => {
		const value = params[name];
		if (value === undefined || value === null) return undefined;
		if (!Array.isArray(value) || value.some((v) => typeof v !== kind)) return `${name} must be a list of ${kind}s`;
		return value as Array<string | number>;
	};
	if (params.voiceGroupId !== undefined) {
		if (!Number.isInteger(params.voiceGroupId)) return 'voiceGroupId must be an integer';
		checks.push((w) => w.voiceGroupId === params.voiceGroupId);
	}
	if (params.sipGroupName !== undefined) checks.push((w) => w.sipGroupName === params.sipGroupName);
	if (params.calledOrCaller !== undefined) checks.push((w) => w.encryptCalled === params.calledOrCaller || w.caller === params.calledOrCaller);
	const lists: Array<[string, 'number' | 'string', (w: Record<string, any>, values: Array<string | number>) => boolean]> = [
		['seatId', 'number', (w, v) => v.includes(seatIdOf(w)!)],
		['seatNameList', 'string', (w, v) => v.includes(w.seatName)],
		['callType', 'number', (w, v) => v.includes(w.callType)],
		['hangupReason', 'number', (w, v) => v.includes(w.hangupReason)],
		['ccode', 'string', (w, v) => v.includes(String(w.ccode).split('(')[0])],
		['hangingDirection', 'number', (w, v) => v.includes(w.hangingDirection)],
		['labelNames', 'string', (w, v) => (w.labelNameList as string[]).some((l) => v.includes(l))],
	];
	for (const [name, kind, test] of lists) {
		const values = list(name, kind);
		if (typeof values === 'string') return values;
		if (values && values.length > 0) checks.push((w) => test(w, values));
	}
	return (wire) => checks.every((check) => check(wire));
}

/** A record with `seatId` added, which the document does not show in answers (SandboxOptions.undocumentedSeatId). */
export function withUndocumentedSeatId(record: StoredRecord): StoredRecord {
	return { ...record, wire: { ...record.wire, seatId: seatIdOf(record.wire) } };
}
