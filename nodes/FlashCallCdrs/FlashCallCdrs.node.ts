import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeReadNode, readNodeProperties } from '../shared/readNode';
import type { ToolText } from '../shared/toolDescription';
import { flashCallListing } from './listing';

/** What a model reads about these records as a tool (Get Many and Summarize). */
const FLASH_CALL_CDRS_TOOL_TEXT: ToolText = {
	what: 'Lists the flash calls (CDRs) of an NXCloud application in a time window (by creation time, gmtCreate), oldest first. Each record has id, callingNumber, gmtCreate, callStartAt and callEndAt (null when the call did not reach the handset), callStatus and price.',
	limits: 'Any window length works; NXCloud gives no count, so recordsInWindow is known only when the whole window was read (returnAll true).',
};

export class FlashCallCdrs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flash Call CDRs',
		name: 'flashCallCdrs',
		icon: { light: 'file:flashCallCdrs.svg', dark: 'file:flashCallCdrs.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "summarize" ? "Summarize a time window" : "Get many in a time window" }}',
		description: 'Read the flash-call records (CDRs) of your NXCloud application',
		defaults: { name: 'Flash Call CDRs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nxCloudApi', required: true }],
		properties: readNodeProperties({
			listing: flashCallListing,
			toolText: FLASH_CALL_CDRS_TOOL_TEXT,
			records: 'flash call records',
			getManyDescription: 'Get the flash calls of a time window, oldest first',
		}),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeReadNode(this, flashCallListing);
	}
}
