/** Credentials and workflows the end-to-end test and the demo import into n8n. */
import type { IDataObject } from 'n8n-workflow';

import { ACCOUNT_TIME_ZONE } from '../engine/fixtures';
import { NXCLOUD_DEMO_APP } from '../sandbox/endpoints/flashCalls';
import { DEMO_ACCOUNT } from '../sandbox/server';

export const CREDENTIAL_IDS = { callRecordsApi: 'sandboxcallrec1', nxCloudApi: 'sandboxnxcloud1' };
export const CREDENTIAL_NAMES = { callRecordsApi: 'Call Records API (sandbox)', nxCloudApi: 'NXCloud API (sandbox)' };
type CredentialType = keyof typeof CREDENTIAL_IDS;

/** Both credentials, pointing at a sandbox; n8n encrypts the plain `data` on import. */
export function sandboxCredentials(sandboxUrl: string) {
	return [
		{
			id: CREDENTIAL_IDS.callRecordsApi,
			name: CREDENTIAL_NAMES.callRecordsApi,
			type: 'callRecordsApi',
			data: { platform: 'custom', baseUrl: sandboxUrl, pathStyle: 'legacy', apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret, timeZone: ACCOUNT_TIME_ZONE },
		},
		{
			id: CREDENTIAL_IDS.nxCloudApi,
			name: CREDENTIAL_NAMES.nxCloudApi,
			type: 'nxCloudApi',
			data: { appKey: NXCLOUD_DEMO_APP.appKey, appSecret: NXCLOUD_DEMO_APP.appSecret, baseUrl: sandboxUrl, timeZone: ACCOUNT_TIME_ZONE },
		},
	];
}

function credentialRef(credential: CredentialType) {
	return { [credential]: { id: CREDENTIAL_IDS[credential], name: CREDENTIAL_NAMES[credential] } };
}

/** Get Many, Return All, over the last `days` days up to the moment it runs. */
export function lastDays(days: number): IDataObject {
	return { operation: 'getMany', startTime: `={{ $now.minus({ days: ${days} }).toISO() }}`, endTime: '={{ $now.toISO() }}', returnAll: true };
}

/** Manual Trigger → one read node of the package, named "Under Test". */
export function recordWorkflow(id: string, name: string, nodeType: string, parameters: IDataObject, credential: CredentialType) {
	return {
		id,
		name,
		active: false,
		settings: { timezone: 'UTC' },
		connections: { Start: { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] } },
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-node`,
				name: 'Under Test',
				type: `n8n-nodes-call-records.${nodeType}`,
				typeVersion: 1,
				position: [240, 0],
				parameters,
				credentials: credentialRef(credential),
			},
		],
	};
}

/**
 * Call Records Trigger (number records, polled every few seconds, or every minute from 60 on) → HTTP Request that posts each
 * emitted record's id, with the execution's id, to `receiverUrl`.
 */
export function triggerWorkflow(id: string, receiverUrl: string, backfillFrom: string, everySeconds: number) {
	return {
		id,
		name: 'E2E Call Records Trigger',
		active: false,
		settings: { timezone: 'UTC' },
		connections: { 'Under Test': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: `${id}-node`,
				name: 'Under Test',
				type: 'n8n-nodes-call-records.callRecordsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [everySeconds >= 60 ? { mode: 'everyMinute' } : { mode: 'custom', cronExpression: `*/${everySeconds} * * * * *` }] },
					source: 'numberRecords',
					options: { backfillFrom, settleSeconds: 0, lookBackMinutes: 15 },
				},
				credentials: credentialRef('callRecordsApi'),
			},
			{
				id: `${id}-report`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: receiverUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ execution: $execution.id, id: $json.callid }) }}',
					options: {},
				},
			},
		],
	};
}
