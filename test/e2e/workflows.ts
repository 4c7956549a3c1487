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
			data: {
				platform: 'custom',
				baseUrl: sandboxUrl,
				pathStyle: 'legacy',
				apiKey: DEMO_ACCOUNT.apiKey,
				apiSecret: DEMO_ACCOUNT.apiSecret,
				timeZone: ACCOUNT_TIME_ZONE,
				// Call-center recordings are relative paths, served by the sandbox's own origin.
				recordingBaseUrl: sandboxUrl,
			},
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

/** The package's read nodes: type name, the name n8n gives a new one, and its credential. */
export const READ_NODES = {
	numberRecords: { displayName: 'Number Records', credential: 'callRecordsApi' },
	callCenterRecords: { displayName: 'Call Center Records', credential: 'callRecordsApi' },
	voiceRecords: { displayName: 'Voice Records', credential: 'callRecordsApi' },
	flashCallCdrs: { displayName: 'Flash Call CDRs', credential: 'nxCloudApi' },
} as const;
export type ReadNodeType = keyof typeof READ_NODES;

/** Manual Trigger → one read node of the package, named as n8n names a new one (its display name). */
export function recordWorkflow(id: string, name: string, nodeType: ReadNodeType, parameters: IDataObject) {
	const { displayName, credential } = READ_NODES[nodeType];
	return {
		id,
		name,
		active: false,
		settings: { timezone: 'UTC' },
		connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: displayName, type: 'main', index: 0 }]] } },
		nodes: [
			{ id: `${id}-start`, name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-node`,
				name: displayName,
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
 * Poll Times for a poll every `seconds` (a divisor of 60). n8n refuses a cron whose seconds field
 * is not one number (a poll more often than once a minute), so this is one cron a minute per
 * poll, each on its own second: what a user gets by adding several "Poll Times" entries.
 */
export function pollEvery(seconds: number): IDataObject {
	return { item: Array.from({ length: 60 / seconds }, (_, i) => ({ mode: 'custom', cronExpression: `${i * seconds} * * * * *` })) };
}

/** The id field of each trigger source's records. */
export const TRIGGER_ID_FIELDS = { numberRecords: 'callid', callCenterRecords: 'keyId', voiceRecords: 'voiceId', flashCallCdrs: 'id' } as const;

/** A Call Records Trigger node named as n8n names a new one, on the sandbox's credential for its source. */
function triggerNode(id: string, pollTimes: IDataObject, source: string, options: IDataObject) {
	return {
		id: `${id}-node`,
		name: 'Call Records Trigger',
		type: 'n8n-nodes-call-records.callRecordsTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes, source, options },
		credentials: credentialRef(source === 'flashCallCdrs' ? 'nxCloudApi' : 'callRecordsApi'),
	};
}

/**
 * Call Records Trigger (polled every `everySeconds`) → HTTP Request that posts each emitted
 * record's id, with the execution's id, to `receiverUrl`.
 */
export function triggerWorkflow(id: string, receiverUrl: string, source: keyof typeof TRIGGER_ID_FIELDS, everySeconds: number, options: IDataObject) {
	return {
		id,
		name: `E2E Call Records Trigger (${READ_NODES[source].displayName})`,
		active: false,
		settings: { timezone: 'UTC' },
		connections: { 'Call Records Trigger': { main: [[{ node: 'Report Each Record', type: 'main', index: 0 }]] } },
		nodes: [
			triggerNode(id, pollEvery(everySeconds), source, options),
			{
				id: `${id}-report`,
				name: 'Report Each Record',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: receiverUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ execution: $execution.id, id: $json.${TRIGGER_ID_FIELDS[source]} }) }}`,
					options: {},
				},
			},
		],
	};
}

/** A Call Records Trigger on call-center records, inactive, for the demo: open it to see its settings. */
export function demoTriggerWorkflow(id: string) {
	return {
		id,
		name: 'Demo: New call-center records (trigger)',
		active: false,
		settings: { timezone: 'UTC' },
		connections: {},
		nodes: [
			triggerNode(id, { item: [{ mode: 'everyMinute' }] }, 'callCenterRecords', { lookBackMinutes: 15, settleSeconds: 60, onlyHangupReasons: 'user busy, no answer' }),
		],
	};
}
