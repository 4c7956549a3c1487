import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeGetMany } from '../shared/executeGetMany';
import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { recordingOptionFields } from '../shared/recordings';
import { numberRecordsListing } from './listing';

const show = { operation: ['getMany'] };

export class NumberRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Number Records',
		name: 'numberRecords',
		icon: { light: 'file:numberRecords.svg', dark: 'file:numberRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the call records of your ITNIO Tech or Laaffic virtual numbers',
		defaults: { name: 'Number Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('number records', 'Get the call records of a time window'),
			...windowAndLimitFields(show),
			getManyOptions(show, recordingOptionFields()),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGetMany(this, numberRecordsListing);
	}
}
