import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { getManyToolText, toolDescriptionField } from '../shared/toolDescription';
import { flashCallListing } from './listing';

const show = { operation: ['getMany'] };

/** What a model reads about the Get Many tool. */
const FLASH_CALL_CDRS_TOOL_TEXT = getManyToolText({
	what: 'Lists the flash calls (CDRs) of an NXCloud application in a time window (by creation time, gmtCreate), oldest first. Each record has id, callingNumber, gmtCreate, callStartAt and callEndAt (null when not answered), callStatus and price.',
	limits: 'Any window length works; NXCloud gives no count, so recordsInWindow is known only when the whole window was read (returnAll true).',
});

export class FlashCallCdrs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flash Call CDRs',
		name: 'flashCallCdrs',
		icon: { light: 'file:flashCallCdrs.svg', dark: 'file:flashCallCdrs.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the flash-call records (CDRs) of your NXCloud application',
		defaults: { name: 'Flash Call CDRs' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nxCloudApi', required: true }],
		properties: [
			getManyOperation('flash call records', 'Get the flash calls of a time window, oldest first'),
			toolDescriptionField(show, FLASH_CALL_CDRS_TOOL_TEXT),
			...windowAndLimitFields(show),
			getManyOptions(show),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, flashCallListing);
	}
}
