import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { flashCallListing } from './listing';

const show = { operation: ['getMany'] };

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
			...windowAndLimitFields(show),
			getManyOptions(show),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, flashCallListing);
	}
}
