/**
 * The sandbox answers with exactly the fields the providers' documents show: each endpoint's
 * envelope, page and record keys against a list written here, each key with the document line
 * it comes from (the documents in /work/shared/provider-docs, as the providers publish them).
 * A field the documents do not show may come only behind an option named "undocumented…".
 */
import type { EndpointName, Sandbox } from '../sandbox/server';
import { DEMO_ACCOUNT, startSandbox } from '../sandbox/server';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import { signatureHeaders } from '../../nodes/transport/signature';

type Source = Record<string, string>;

const CC = 'itnio-call-center-records-v3.txt';
const VOICE = 'itnio-voice-records.txt';
const NUMBER = 'itnio-number-records.txt';
const LAAFFIC = 'laaffic-number-records-v3.txt';
const NXCLOUD = 'nxcloud-flash-call-cdrs.txt';

/** The platform envelope: status, reason, data (every response table's first rows). */
const envelope = (doc: string, first: number): Source => ({ status: `${doc}:${first}`, reason: `${doc}:${first + 1}`, data: `${doc}:${first + 2}` });

const NUMBER_RECORD: Source = {
	callid: `${NUMBER}:24`,
	number: `${NUMBER}:25`,
	type: `${NUMBER}:26`,
	caller: `${NUMBER}:27`,
	called: `${NUMBER}:28`,
	ccode: `${NUMBER}:29`,
	country: `${NUMBER}:30`,
	callSource: `${NUMBER}:31`,
	callDuration: `${NUMBER}:32`,
	chargedDuration: `${NUMBER}:33`,
	startTime: `${NUMBER}:34`,
	endTime: `${NUMBER}:35`,
	pay: `${NUMBER}:36`,
	sipCode: `${NUMBER}:37`,
	recordingFileUrl: `${NUMBER}:38`,
	hangupReason: `${NUMBER}:39`,
	appId: `${NUMBER}:40`,
	chargedPeriod: `${NUMBER}:41`,
	customerRate: `${NUMBER}:42`,
};

const EXPECTED: Record<string, { envelope: Source; page?: Source; record: Source }> = {
	'numberRecords (ITNIO, /number/record/queryPage)': {
		envelope: envelope(NUMBER, 16),
		page: { total: `${NUMBER}:19`, size: `${NUMBER}:20`, current: `${NUMBER}:21`, pages: `${NUMBER}:22`, records: `${NUMBER}:23` },
		record: NUMBER_RECORD,
	},
	'numberRecords (Laaffic, /v3/number/record/queryPage)': {
		envelope: envelope(LAAFFIC, 27),
		page: { total: `${LAAFFIC}:30`, size: `${LAAFFIC}:31`, current: `${LAAFFIC}:32`, pages: `${LAAFFIC}:33`, records: `${LAAFFIC}:34` },
		// The same table (lines 35-53), and Laaffic's currency fields, capitalised as printed.
		record: { ...NUMBER_RECORD, currency: `${LAAFFIC}:54`, QuoteExchange: `${LAAFFIC}:55`, SeptleRate: `${LAAFFIC}:56`, SettlePay: `${LAAFFIC}:57` },
	},
	callCenterRecords: {
		envelope: envelope(CC, 39),
		page: { total: `${CC}:42`, size: `${CC}:43`, current: `${CC}:44`, pages: `${CC}:45`, records: `${CC}:46`, searchCount: `${CC}:86 (sample)` },
		// No seatId: the document names it only among the request parameters (line 10).
		record: {
			keyId: `${CC}:47`,
			callSessionId: `${CC}:48`,
			called: `${CC}:49`,
			encryptCalled: `${CC}:50`,
			calledInfo: `${CC}:51`,
			caller: `${CC}:52`,
			region: `${CC}:53`,
			seatName: `${CC}:54`,
			sipGroupName: `${CC}:55`,
			voiceGroupId: `${CC}:56`,
			callDuration: `${CC}:57`,
			callType: `${CC}:58`,
			hangupReason: `${CC}:59`,
			hangupCode: `${CC}:60`,
			callStartTime: `${CC}:61`,
			calledAnswerTime: `${CC}:62`,
			calledHangupTime: `${CC}:63`,
			voiceUrl: `${CC}:64`,
			voiceUrlList: `${CC}:65`,
			createTime: `${CC}:66`,
			updateTime: `${CC}:67`,
			ccode: `${CC}:68`,
			hangingDirection: `${CC}:69`,
			labelName: `${CC}:70`,
			labelNameList: `${CC}:71`,
			remark: `${CC}:72`,
			callId: `${CC}:73`,
			brandId: `${CC}:74`,
			brandName: `${CC}:75`,
			errorReason: `${CC}:76`,
			ringDuration: `${CC}:77`,
			mediaDetected: `${CC}:78`,
		},
	},
	voiceRecords: {
		envelope: envelope(VOICE, 39),
		page: { total: `${VOICE}:42`, size: `${VOICE}:43`, current: `${VOICE}:44`, pages: `${VOICE}:45`, searchCount: `${VOICE}:46`, records: `${VOICE}:47` },
		record: {
			voiceId: `${VOICE}:48`,
			callee: `${VOICE}:49`,
			displayNum: `${VOICE}:50`,
			code: `${VOICE}:51`,
			submitTime: `${VOICE}:52`,
			callTime: `${VOICE}:53`,
			ringingTime: `${VOICE}:54`,
			answerTime: `${VOICE}:55`,
			hangupTime: `${VOICE}:56`,
			callDuration: `${VOICE}:57`,
			chargedDuration: `${VOICE}:58`,
			terminationCode: `${VOICE}:59`,
			terminationReason: `${VOICE}:60`,
			cost: `${VOICE}:61`,
			billPeriod: `${VOICE}:62`,
			rate: `${VOICE}:63`,
			baseCost: `${VOICE}:64`,
			voiceFileId: `${VOICE}:65`,
			feedbackValue: `${VOICE}:66`,
			calledInfo: `${VOICE}:67`,
			settleRate: `${VOICE}:68`,
			quoteExchange: `${VOICE}:69`,
			settlePay: `${VOICE}:70`,
			currency: `${VOICE}:71`,
		},
	},
	flashCalls: {
		envelope: { code: `${NXCLOUD}:70`, cdrs: `${NXCLOUD}:71` },
		record: {
			id: `${NXCLOUD}:30`,
			customerId: `${NXCLOUD}:31`,
			appId: `${NXCLOUD}:32`,
			msisdn: `${NXCLOUD}:33`,
			callingNumber: `${NXCLOUD}:34`,
			token: `${NXCLOUD}:35`,
			requestId: `${NXCLOUD}:36`,
			ip: `${NXCLOUD}:37`,
			price: `${NXCLOUD}:38`,
			gmtCreate: `${NXCLOUD}:39`,
			gmtModified: `${NXCLOUD}:40`,
			callStartAt: `${NXCLOUD}:41`,
			callEndAt: `${NXCLOUD}:42`,
			callbackAt: `${NXCLOUD}:43`,
			callStatus: `${NXCLOUD}:44`,
		},
	},
};

const FROM = '2024-03-01T00:00:00+08:00';
const TO = '2024-03-02T00:00:00+08:00';
const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort();

async function ask(sandbox: Sandbox, path: string, params: Record<string, string>): Promise<Record<string, any>> {
	const response = await fetch(`${sandbox.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json;charset=UTF-8', ...signatureHeaders(DEMO_ACCOUNT.apiKey, DEMO_ACCOUNT.apiSecret, Date.now()) },
		body: JSON.stringify({ current: 1, size: 100, params }),
	});
	return (await response.json()) as Record<string, any>;
}

const ANSWERS: Record<string, { endpoint: EndpointName; get: (sandbox: Sandbox) => Promise<Record<string, any>> }> = {
	'numberRecords (ITNIO, /number/record/queryPage)': { endpoint: 'numberRecords', get: async (s) => await ask(s, '/number/record/queryPage', { strTime: FROM, endTime: TO }) },
	'numberRecords (Laaffic, /v3/number/record/queryPage)': { endpoint: 'numberRecords', get: async (s) => await ask(s, '/v3/number/record/queryPage', { strTime: FROM, endTime: TO }) },
	callCenterRecords: { endpoint: 'callCenterRecords', get: async (s) => await ask(s, '/v3/cc/record/query', { startTime: '2024-03-01 00:00:00', endTime: '2024-03-02 00:00:00' }) },
	voiceRecords: { endpoint: 'voiceRecords', get: async (s) => await ask(s, '/voice/recordGroupQuery', { strTime: VOICE_FROM, endTime: VOICE_TO }) },
	flashCalls: {
		endpoint: 'flashCalls',
		get: async (s) => {
			const query = new URLSearchParams({ appkey: NXCLOUD_DEMO_APP.appKey, secretkey: NXCLOUD_DEMO_APP.appSecret, start: '2024-03-01 00:00:00', end: '2024-03-02 00:00:00' });
			return (await (await fetch(`${s.url}/otp/call/list?${query}`)).json()) as Record<string, any>;
		},
	},
};

// Voice records are served for the last two months only.
const VOICE_FROM_MS = Date.now() - 3 * 86_400_000;
const toOffset = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00';
const VOICE_FROM = toOffset(VOICE_FROM_MS);
const VOICE_TO = toOffset(VOICE_FROM_MS + 86_400_000);

let sandbox: Sandbox;
beforeAll(async () => {
	const day = { from: '2024-03-01T00:00:00+08:00', to: '2024-03-02T00:00:00+08:00', count: 200 };
	sandbox = await startSandbox({
		seed: 34,
		timeZone: 'Asia/Shanghai',
		numberRecords: day,
		callCenterRecords: day,
		flashCalls: { ...day, count: 80 },
		voiceRecords: { from: new Date(VOICE_FROM_MS).toISOString(), to: new Date(VOICE_FROM_MS + 86_400_000).toISOString(), count: 200 },
	});
});
afterAll(async () => {
	await sandbox.stop();
});

describe.each(Object.keys(EXPECTED))('the sandbox answers %s with the documented fields only', (name) => {
	test('envelope, page and every record hold exactly the keys the document shows', async () => {
		const want = EXPECTED[name];
		const answer = await ANSWERS[name].get(sandbox);
		expect(sorted(Object.keys(answer))).toEqual(sorted(Object.keys(want.envelope)));
		const page = want.page ? answer.data : undefined;
		if (want.page) expect(sorted(Object.keys(page))).toEqual(sorted(Object.keys(want.page)));
		const records: Array<Record<string, unknown>> = want.page ? page.records : answer.cdrs;
		expect(records.length).toBeGreaterThan(0);
		// Every record holds every documented key, and none other.
		for (const record of records) expect(sorted(Object.keys(record))).toEqual(sorted(Object.keys(want.record)));
	});
});

test('the agent id comes only behind the option that says it is not documented', async () => {
	const withId = await startSandbox({ seed: 34, timeZone: 'Asia/Shanghai', undocumentedSeatId: true, callCenterRecords: { from: FROM, to: TO, count: 20 } });
	try {
		const answer = await ask(withId, '/v3/cc/record/query', { startTime: '2024-03-01 00:00:00', endTime: '2024-03-02 00:00:00' });
		const records = answer.data.records as Array<Record<string, unknown>>;
		expect(records.length).toBe(20);
		for (const record of records) expect(sorted(Object.keys(record))).toEqual(sorted([...Object.keys(EXPECTED.callCenterRecords.record), 'seatId']));
	} finally {
		await withId.stop();
	}
});
