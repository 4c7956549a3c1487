/**
 * Runs every node and the trigger, in success and failure, and checks that no API secret, app
 * secret or Sign value shows up in an output item, an error (message, description or any
 * field) or a log line.
 */
import { LoggerProxy } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import { PollHarness } from '../engine/poll';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Fault, Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const API_SECRET = 'Api/Secret+With=Odd&Chars';
const logged: string[] = [];
let sandbox: Sandbox;

beforeAll(async () => {
	const keep = (message: string, meta?: object) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`);
	LoggerProxy.init({ error: keep, warn: keep, info: keep, debug: keep } as never);
	const now = Date.now();
	const span = { from: new Date(now - 20 * 86_400_000).toISOString(), to: new Date(now).toISOString() };
	sandbox = await startSandbox({
		timeZone: ACCOUNT_TIME_ZONE,
		accounts: [{ apiKey: 'sweep-key', apiSecret: API_SECRET }],
		numberRecords: { count: 300, ...span },
		callCenterRecords: { count: 300, ...span },
		voiceRecords: { count: 300, ...span },
		flashCalls: { count: 300, ...span },
	});
});
afterAll(async () => {
	await sandbox.stop();
});

function allCredentials() {
	return {
		...platformCredentials(sandbox, { apiKey: 'sweep-key', apiSecret: API_SECRET }),
		nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE },
	};
}

const NODES = ['numberRecords', 'callCenterRecords', 'voiceRecords', 'flashCallCdrs'] as const;
const FAILURES: Array<[string, Fault | undefined, Record<string, string>?]> = [
	['success', undefined],
	['a wrong secret', undefined, { apiSecret: 'wrong', appSecret: 'wrong' }],
	['an HTML page', { kind: 'html', times: 5 }],
	['a connection reset', { kind: 'reset', times: 1_000 }],
	['invalid JSON', { kind: 'invalidJson', times: 1_000 }],
	['HTTP 404', { kind: 'http', httpStatus: 404, times: 50 }],
];

const collected: string[] = [];

describe('secrets never leak', () => {
	test.each(NODES.flatMap((node) => FAILURES.map(([name, fault, override]) => [node, name, fault, override] as const)))(
		'%s, %s',
		async (node, _name, fault, override) => {
			sandbox.reset();
			if (fault) sandbox.inject(fault);
			const creds = allCredentials();
			if (override) {
				creds.callRecordsApi = { ...creds.callRecordsApi, apiSecret: override.apiSecret };
				creds.nxCloudApi = { ...creds.nxCloudApi, appSecret: override.appSecret };
			}
			const result = await runNode({
				type: node,
				parameters: { operation: 'getMany', startTime: '={{ $now.minus({ days: 10 }).toISO() }}', endTime: '={{ $now.toISO() }}', returnAll: true } as INodeParameters,
				credentials: creds,
				continueOnFail: true,
			});
			if (fault || override) expect(result.items[0].json.error).toBeDefined();
			else expect(result.items.length).toBeGreaterThan(0);
			collected.push(JSON.stringify({ items: result.items, error: result.error, resultData: result.run.data.resultData }));
			collected.push(...sandbox.requests.map((r) => r.headers.sign ?? '').filter(Boolean).map((sign) => `SIGN:${sign}`));
		},
		60_000,
	);

	test('the trigger, polling and failing', async () => {
		sandbox.reset();
		const trigger = new PollHarness({ source: 'numberRecords', options: { backfillFrom: new Date(Date.now() - 86_400_000).toISOString() } }, allCredentials());
		const ok = await trigger.poll();
		expect(ok.items.length).toBeGreaterThan(0);
		sandbox.inject({ kind: 'status', status: '-1' });
		const failed = await new PollHarness({ source: 'numberRecords', options: { backfillFrom: new Date(Date.now() - 86_400_000).toISOString() } }, allCredentials()).poll();
		expect(failed.error).toBeDefined();
		collected.push(JSON.stringify({ ok, failed: { message: failed.error?.message, description: failed.error?.description, error: failed.error }, staticData: trigger.staticData }));
		collected.push(...sandbox.requests.map((r) => `SIGN:${r.headers.sign}`));
	});

	test('none of the secrets or signatures appear anywhere', () => {
		const signs = collected.filter((c) => c.startsWith('SIGN:')).map((c) => c.slice(5));
		const text = collected.filter((c) => !c.startsWith('SIGN:')).join('\n') + logged.join('\n');
		expect(signs.length).toBeGreaterThan(20);
		for (const secret of [API_SECRET, encodeURIComponent(API_SECRET), NXCLOUD_DEMO_APP.appSecret, ...signs]) {
			expect(text.includes(secret) ? secret : null).toBeNull();
		}
	});
});
