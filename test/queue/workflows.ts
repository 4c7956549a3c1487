/** The queue-mode test's workflows: the trigger that reports what it emits, and a webhook-started Get Many. */
import type { IDataObject } from 'n8n-workflow';

import { CREDENTIAL_IDS, CREDENTIAL_NAMES, triggerWorkflow } from '../e2e/workflows';

export { triggerWorkflow };

/**
 * Webhook (answers at once, so each call queues an execution) → Number Records over `window`
 * (Return All) → Aggregate the ids → HTTP Request posting them, with the execution's id, to the
 * receiver: one post per execution, holding every record id it read.
 */
export function loadWorkflow(id: string, path: string, receiverUrl: string, window: { startTime: string; endTime: string }, parallel: number) {
	return {
		id,
		name: 'Queue: Number Records on a webhook',
		active: false,
		settings: { timezone: 'UTC' },
		connections: {
			Webhook: { main: [[{ node: 'Number Records', type: 'main', index: 0 }]] },
			'Number Records': { main: [[{ node: 'Aggregate', type: 'main', index: 0 }]] },
			Aggregate: { main: [[{ node: 'Report Ids', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: `${id}-hook`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${id}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
			{
				id: `${id}-read`,
				name: 'Number Records',
				type: 'n8n-nodes-call-records.numberRecords',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'getMany', ...window, returnAll: true, options: { maxParallelRequests: parallel } } as IDataObject,
				credentials: { callRecordsApi: { id: CREDENTIAL_IDS.callRecordsApi, name: CREDENTIAL_NAMES.callRecordsApi } },
			},
			{ id: `${id}-aggregate`, name: 'Aggregate', type: 'n8n-nodes-base.aggregate', typeVersion: 1, position: [440, 0], parameters: { fieldsToAggregate: { fieldToAggregate: [{ fieldToAggregate: 'callid' }] }, options: {} } },
			{
				id: `${id}-report`,
				name: 'Report Ids',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [660, 0],
				parameters: { method: 'POST', url: receiverUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ execution: $execution.id, id: $json.callid.join(",") }) }}', options: {} },
			},
		],
	};
}
