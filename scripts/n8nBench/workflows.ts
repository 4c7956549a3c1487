/**
 * The workflows the n8n benchmarks (`npm run bench:n8n`, `npm run bench:n8n:https`) import into a
 * real n8n: a webhook that starts a read and answers with what it read, the package's nodes as a
 * user would set them, n8n's HTTP Request node with its own pagination, and an active trigger.
 */
import { CREDENTIAL_IDS, CREDENTIAL_NAMES } from '../../test/e2e/workflows';
import { DEMO_ACCOUNT } from '../../test/sandbox/server';
import { computeSign } from '../../nodes/transport/signature';

export type Window = { startTime: string; endTime: string };

const credentials = { callRecordsApi: { id: CREDENTIAL_IDS.callRecordsApi, name: CREDENTIAL_NAMES.callRecordsApi } };

/** Webhook (answers with the last node's first item) → `reader` → `extra` → Aggregate the ids (unless `aggregate` is false). */
export function webhookWorkflow(id: string, path: string, readerName: string, reader: Record<string, unknown>, extra: Array<Record<string, unknown>> = [], aggregate = true) {
	const chain = [readerName, ...extra.map((n) => String(n.name)), ...(aggregate ? ['Aggregate'] : [])];
	const connections: Record<string, unknown> = { Webhook: { main: [[{ node: readerName, type: 'main', index: 0 }]] } };
	chain.slice(0, -1).forEach((name, i) => (connections[name] = { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }));
	return {
		id,
		name: `Bench: ${readerName}`,
		active: false,
		settings: { timezone: 'UTC', saveDataSuccessExecution: 'all' },
		connections,
		nodes: [
			{ id: `${id}-hook`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${id}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
			{ id: `${id}-reader`, name: readerName, position: [220, 0], ...reader },
			...extra.map((n, i) => ({ id: `${id}-extra${i}`, position: [440 + 220 * i, 0], ...n })),
			...(aggregate ? [aggregateIds(`${id}-aggregate`, 880)] : []),
		],
	};
}

function aggregateIds(id: string, x: number) {
	return { id, name: 'Aggregate', type: 'n8n-nodes-base.aggregate', typeVersion: 1, position: [x, 0], parameters: { fieldsToAggregate: { fieldToAggregate: [{ fieldToAggregate: 'callid' }] }, options: {} } };
}

/** Number Records, Get Many with Return All over `window`. */
export function getManyNode(window: Window, parallel: number) {
	return {
		type: 'n8n-nodes-call-records.numberRecords',
		typeVersion: 1,
		parameters: { operation: 'getMany', ...window, returnAll: true, options: { maxParallelRequests: parallel } },
		credentials,
	};
}

/** Number Records, Summarize over `window` by SIP code, as one item (the webhook answers with it). */
export function summarizeNode(window: Window, parallel: number) {
	return {
		type: 'n8n-nodes-call-records.numberRecords',
		typeVersion: 1,
		parameters: { operation: 'summarize', ...window, groupBy: ['sipCode'], options: { maxParallelRequests: parallel, output: 'single' } },
		credentials,
	};
}

/**
 * What a user would build without this package: n8n's HTTP Request node with its own pagination
 * (page by page, body `current` = $pageCount + 1, until `records` comes back empty), signed with
 * one fixed `timestamp` that the sandbox accepts for the run (its `acceptTimestamp`).
 */
export function httpRequestNode(sandboxUrl: string, window: Window, timestamp: string) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sandboxUrl}/number/record/queryPage`,
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'Api-Key', value: DEMO_ACCOUNT.apiKey },
					{ name: 'Timestamp', value: timestamp },
					{ name: 'Sign', value: computeSign(DEMO_ACCOUNT.apiKey, DEMO_ACCOUNT.apiSecret, timestamp) },
				],
			},
			sendBody: true,
			specifyBody: 'json',
			// The API takes times with a numeric offset (Z is refused).
			jsonBody: JSON.stringify({ current: 1, size: 100, params: { strTime: window.startTime.replace('Z', '+00:00'), endTime: window.endTime.replace('Z', '+00:00') } }),
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'body', name: 'current', value: '={{ $pageCount + 1 }}' }] },
						paginationCompleteWhen: 'other',
						completeExpression: '={{ $response.body.data.records.length === 0 }}',
						limitPagesFetched: false,
					},
				},
			},
		},
	};
}

/** The HTTP Request node's pages hold the records: one item per record, as the package's nodes give. */
export const splitOut = { name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'data.records', options: {} } };

/**
 * An active Call Records Trigger on number records whose first poll (at activation) catches up
 * from `backfillFrom` in one poll, then polls only hourly; Aggregate the ids → POST them with
 * the execution's id to `receiverUrl` (the bench's receiver).
 */
export function triggerCatchUpWorkflow(id: string, backfillFrom: string, maxPerPoll: number, receiverUrl: string) {
	return {
		id,
		name: `Bench: trigger catch-up (${id})`,
		active: false,
		settings: { timezone: 'UTC', saveDataSuccessExecution: 'all' },
		connections: {
			'Call Records Trigger': { main: [[{ node: 'Aggregate', type: 'main', index: 0 }]] },
			Aggregate: { main: [[{ node: 'Report', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Call Records Trigger',
				type: 'n8n-nodes-call-records.callRecordsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyHour', minute: 0 }] }, source: 'numberRecords', options: { backfillFrom, maxPerPoll, settleSeconds: 0, lookBackMinutes: 0 } },
				credentials,
			},
			aggregateIds(`${id}-aggregate`, 220),
			{
				id: `${id}-report`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: { method: 'POST', url: receiverUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ execution: $execution.id, id: $json.callid.join(",") }) }}', options: {} },
			},
		],
	};
}
