import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { readListingInputs } from '../shared/getManyInputs';
import type { PlatformListing } from '../shared/platformGetMany';
import { getManyFromPlatform } from '../shared/platformGetMany';
import { runPerItem } from '../shared/runGetMany';
import { numberRecordSchema } from './numberRecordSchema';

const show = { operation: ['getMany'] };

export const numberRecordsListing: PlatformListing = {
	endpoint: 'numberRecords',
	timeFormat: 'iso-offset',
	windowParams: (strTime, endTime) => ({ strTime, endTime }),
	idField: 'callid',
	recordSchema: numberRecordSchema,
};

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
			getManyOptions(show),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem(this, async (itemIndex) => {
			const { inputs, query } = readListingInputs(this, itemIndex);
			return await getManyFromPlatform(this, itemIndex, numberRecordsListing, inputs, query);
		});
	}
}
