import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import { readListingInputs } from '../shared/getManyInputs';
import type { PlatformListing } from '../shared/platformGetMany';
import { getManyFromPlatform } from '../shared/platformGetMany';
import { runPerItem } from '../shared/runGetMany';
import { DAY_MS } from '../transport/windows';
import { callCenterRecordSchema } from './callCenterRecordSchema';
import { callCenterFilterFields, parseCallCenterFilters } from './filters';

const show = { operation: ['getMany'] };

/** The API refuses windows over 93 days (status -76); longer ones are split. */
export const CALL_CENTER_MAX_WINDOW_MS = 93 * DAY_MS;

export const callCenterListing: PlatformListing = {
	endpoint: 'callCenterRecords',
	// The document's table says ISO 8601 but its sample sends "2025-01-08 00:00:00": we send the sample's form.
	timeFormat: 'plain',
	windowParams: (startTime, endTime) => ({ startTime, endTime }),
	readQuery: (ctx, itemIndex) => parseCallCenterFilters(ctx.getNode(), ctx.getNodeParameter('filters', itemIndex, {}), itemIndex),
	maxWindowMs: CALL_CENTER_MAX_WINDOW_MS,
	idField: 'keyId',
	recordSchema: callCenterRecordSchema,
};

export class CallCenterRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Center Records',
		name: 'callCenterRecords',
		icon: { light: 'file:callCenterRecords.svg', dark: 'file:callCenterRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the agent call records of your ITNIO Tech or Laaffic call center',
		defaults: { name: 'Call Center Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('call center records', 'Get the agent calls of a time window, of any length'),
			...windowAndLimitFields(show),
			callCenterFilterFields(show),
			getManyOptions(show),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem(this, async (itemIndex) => {
			const { inputs, query } = readListingInputs(this, itemIndex, callCenterListing.readQuery);
			return await getManyFromPlatform(this, itemIndex, callCenterListing, inputs, query);
		});
	}
}
