import { testCredential } from '../engine/credentialTest';
import { numberRecordsSandbox, platformCredentials } from '../engine/fixtures';
import { PLATFORMS, ENDPOINT_PATHS } from '../../nodes/transport/platforms';
import { PLATFORM_STATUS } from '../../nodes/transport/platformStatus';
import type { Sandbox } from '../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await numberRecordsSandbox(10);
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

describe('Call Records API credential test', () => {
	test('succeeds with a valid key: one signed query of the last minute, size 1', async () => {
		const result = await testCredential('callRecordsApi', platformCredentials(sandbox).callRecordsApi);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests).toHaveLength(1);
		const { body, path } = sandbox.requests[0];
		expect(path).toBe(ENDPOINT_PATHS.legacy.numberRecords);
		expect(body?.size).toBe(1);
		expect(Date.parse(body?.params.endTime) - Date.parse(body?.params.strTime)).toBe(60_000);
	});

	test('uses the /v3 path for the v3 path style', async () => {
		await testCredential('callRecordsApi', platformCredentials(sandbox, { pathStyle: 'v3' }).callRecordsApi);
		expect(sandbox.requests[0].path).toBe(ENDPOINT_PATHS.v3.numberRecords);
	});

	test('fails with the documented meaning of the status', async () => {
		const wrong = await testCredential('callRecordsApi', platformCredentials(sandbox, { apiSecret: 'nope' }).callRecordsApi);
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toContain(PLATFORM_STATUS['-1'].message);

		sandbox.inject({ kind: 'status', status: '-31' });
		const whitelist = await testCredential('callRecordsApi', platformCredentials(sandbox).callRecordsApi);
		expect(whitelist.message).toContain('whitelist');
	});

	test('the platform table gives each brand its base URL and number path', () => {
		expect(PLATFORMS.itnio).toMatchObject({ baseUrl: 'https://api.itniotech.com', pathStyle: 'legacy' });
		expect(PLATFORMS.laaffic).toMatchObject({ baseUrl: 'https://api.laaffic.com', pathStyle: 'v3' });
		expect(ENDPOINT_PATHS.legacy.numberRecords).toBe('/number/record/queryPage');
		expect(ENDPOINT_PATHS.v3.numberRecords).toBe('/v3/number/record/queryPage');
		expect(ENDPOINT_PATHS.legacy.callCenterRecords).toBe('/v3/cc/record/query');
		expect(ENDPOINT_PATHS.v3.voiceRecords).toBe('/voice/recordGroupQuery');
	});
});
