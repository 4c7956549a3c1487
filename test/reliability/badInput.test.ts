/**
 * Bad input, through the real engine: each case fails with an error that names the field and
 * the fix, before a single request reaches the API.
 */
import type { INodeParameters } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import { PollHarness } from '../engine/poll';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ timeZone: ACCOUNT_TIME_ZONE });
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const WINDOW = { operation: 'getMany', startTime: '2024-03-01T00:00:00', endTime: '2024-03-02T00:00:00', returnAll: true };
const nx = (overrides: Record<string, string> = {}) => ({
	nxCloudApi: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandbox.url, timeZone: ACCOUNT_TIME_ZONE, ...overrides },
});

interface Case {
	node?: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, string>;
	nxCredentials?: Record<string, string>;
	timezone?: string;
	/** The field the message must name, and a word of the fix the description must give. */
	field: string;
	fix: RegExp;
}

const CASES: Array<[string, Case]> = [
	['end before start', { parameters: { endTime: '2024-02-01T00:00:00' }, field: 'End Time', fix: /Swap|later/ }],
	['end equal to start', { parameters: { endTime: '2024-03-01T00:00:00' }, field: 'End Time', fix: /later/ }],
	['unparseable start', { parameters: { startTime: 'last tuesday' }, field: 'Start Time', fix: /ISO 8601/ }],
	['unparseable end', { parameters: { endTime: '31/12/2024' }, field: 'End Time', fix: /ISO 8601/ }],
	['impossible date', { parameters: { startTime: '2024-02-30T00:00:00' }, field: 'Start Time', fix: /ISO 8601/ }],
	['start that an expression leaves empty', { parameters: { startTime: '={{ "" }}' }, field: 'Start Time', fix: /Set Start Time/ }],
	['start of the wrong type via an expression', { parameters: { startTime: '={{ 42 }}' }, field: 'Start Time', fix: /ISO 8601/ }],
	['limit 0', { parameters: { returnAll: false, limit: 0 }, field: 'Limit', fix: /1 or more/ }],
	['negative limit', { parameters: { returnAll: false, limit: -5 }, field: 'Limit', fix: /1 or more/ }],
	['fractional limit', { parameters: { returnAll: false, limit: 2.5 }, field: 'Limit', fix: /1 or more/ }],
	['limit as text via an expression', { parameters: { returnAll: false, limit: '={{ "ten" }}' }, field: 'Limit', fix: /1 or more/ }],
	['Return All as text via an expression', { parameters: { returnAll: '={{ "yes" }}' }, field: 'Return All', fix: /boolean/ }],
	['Max Parallel Requests 0', { parameters: { options: { maxParallelRequests: 0 } }, field: 'Max Parallel Requests', fix: /suits/ }],
	['Max Parallel Requests 33', { parameters: { options: { maxParallelRequests: 33 } }, field: 'Max Parallel Requests', fix: /suits/ }],
	['Max Parallel Requests as text', { parameters: { options: { maxParallelRequests: '={{ "many" }}' } }, field: 'Max Parallel Requests', fix: /suits/ }],
	['Timeout 0', { parameters: { options: { timeoutSeconds: 0 } }, field: 'Timeout (Seconds)', fix: /60/ }],
	['Raw Output as text', { parameters: { options: { rawOutput: '={{ "no" }}' } }, field: 'Raw Output', fix: /boolean/ }],
	['unknown workflow time zone', { timezone: 'Mars/Olympus_Mons', field: 'time zone', fix: /workflow settings/ }],
	['empty API key', { credentials: { apiKey: '' }, field: 'API Key', fix: /paste/ }],
	['empty API secret', { credentials: { apiSecret: '  ' }, field: 'API Secret', fix: /paste/ }],
	['Custom platform without a Base URL', { credentials: { baseUrl: '' }, field: 'Base URL', fix: /Custom/ }],
	['Custom platform with an invalid Base URL', { credentials: { baseUrl: 'api.example.com' }, field: 'Base URL', fix: /https/ }],
	['Custom platform with an ftp Base URL', { credentials: { baseUrl: 'ftp://api.example.com' }, field: 'Base URL', fix: /https/ }],
	['unknown account time zone', { credentials: { timeZone: 'Beijing' }, field: 'Account Time Zone', fix: /IANA/ }],
	['unknown platform', { credentials: { platform: 'acme' }, field: 'Platform', fix: /ITNIO Tech, Laaffic or Custom/ }],
	['Agent Group ID as text', { node: 'callCenterRecords', parameters: { filters: { voiceGroupId: '={{ "abc" }}' } }, field: 'Agent Group ID', fix: /whole number/ }],
	['unknown hang-up reason code', { node: 'callCenterRecords', parameters: { filters: { hangupReasons: '={{ [42] }}' } }, field: 'Hang-Up Reasons', fix: /codes or labels, as a list: 0 \(Outgoing call not answered\), 1 / }],
	['call type as text', { node: 'callCenterRecords', parameters: { filters: { callTypes: '={{ ["inbound"] }}' } }, field: 'Call Types', fix: /1 \(Group call transferred to agent\), 2 \(Incoming call\), 3 \(Outgoing call\)/ }],
	['hang-up direction 2', { node: 'callCenterRecords', parameters: { filters: { hangingDirections: '={{ [2] }}' } }, field: 'Hang-Up Directions', fix: /0 \(Customer hung up\), 1 \(Agent hung up\), 3 \(None\)/ }],
	['agent IDs that are not numbers', { node: 'callCenterRecords', parameters: { filters: { seatIds: 'alice' } }, field: 'Agent IDs', fix: /whole numbers/ }],
	['country name instead of a code', { node: 'callCenterRecords', parameters: { filters: { countryCodes: 'China' } }, field: 'Country Codes', fix: /86/ }],
	['tag names as an object', { node: 'callCenterRecords', parameters: { filters: { tagNames: '={{ { vip: true } }}' } }, field: 'Tag Names', fix: /comma-separated/ }],
	['Agent Group ID as a list', { node: 'callCenterRecords', parameters: { filters: { voiceGroupId: '={{ [12, 15] }}' } }, field: 'Agent Group ID', fix: /whole number/ }],
	['voice start older than two months', { node: 'voiceRecords', parameters: { startTime: '2020-01-01T00:00:00', endTime: '={{ $now.toISO() }}' }, field: 'Start Time', fix: /earliest Start Time/ }],
	['flash: empty app key', { node: 'flashCallCdrs', nxCredentials: { appKey: '' }, field: 'App Key', fix: /Paste/ }],
	['flash: empty app secret', { node: 'flashCallCdrs', nxCredentials: { appSecret: '' }, field: 'App Secret', fix: /Paste/ }],
	['flash: invalid base URL', { node: 'flashCallCdrs', nxCredentials: { baseUrl: 'nxcloud' }, field: 'Base URL', fix: /api2\.nxcloud\.com/ }],
	['flash: unknown API time zone', { node: 'flashCallCdrs', nxCredentials: { timeZone: 'China/Beijing' }, field: 'API Time Zone', fix: /IANA/ }],
];

describe('bad input fails before any request, naming the field and the fix', () => {
	test('there are at least 30 cases', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(30);
	});

	test.each(CASES)('%s', async (_name, c) => {
		const node = c.node ?? 'numberRecords';
		const result = await runNode({
			type: node,
			parameters: { ...WINDOW, ...c.parameters } as INodeParameters,
			credentials: node === 'flashCallCdrs' ? nx(c.nxCredentials) : platformCredentials(sandbox, c.credentials),
			timezone: c.timezone ?? 'UTC',
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(c.field);
		expect(result.error?.description).toMatch(c.fix);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each([
		['a negative look-back', { source: 'numberRecords', options: { lookBackMinutes: -1 } }, 'Look-Back (Minutes)'],
		['an unparseable backfill start', { source: 'numberRecords', options: { backfillFrom: 'soon' } }, 'Backfill From'],
		['a voice backfill older than the horizon', { source: 'voiceRecords', options: { backfillFrom: '2020-01-01T00:00:00Z' } }, 'Backfill From is older than the two months voice records are kept'],
		['SIP codes for flash calls', { source: 'flashCallCdrs', options: { onlySipCodes: '486' } }, 'Only SIP Codes'],
		['SIP codes that an expression makes an object', { source: 'numberRecords', options: { onlySipCodes: '={{ { code: 486 } }}' } }, 'Only SIP Codes'],
		['a timeout of 0, checked as in the nodes', { source: 'numberRecords', options: { timeoutSeconds: 0 } }, 'Timeout (Seconds)'],
	])('trigger: %s', async (_name, parameters, field) => {
		const trigger = new PollHarness(parameters, { ...platformCredentials(sandbox), ...nx() });
		const { error } = await trigger.poll();
		expect(error?.message).toContain(field);
		expect(sandbox.requests).toHaveLength(0);
	});
});
