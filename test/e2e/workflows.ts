/** The workflows the end-to-end test imports into n8n: Manual Trigger → one node of the package. */
import type { IDataObject } from 'n8n-workflow';

export const CREDENTIAL_IDS = { callRecordsApi: 'e2ecallrecords1', nxCloudApi: 'e2enxcloudapi01' };

export function recordWorkflow(id: string, nodeType: string, parameters: IDataObject, credential: keyof typeof CREDENTIAL_IDS) {
	const name = `E2E ${nodeType}`;
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
				credentials: { [credential]: { id: CREDENTIAL_IDS[credential], name: `E2E ${credential}` } },
			},
		],
	};
}
