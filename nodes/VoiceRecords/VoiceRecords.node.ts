import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { getManyOperation, getManyOptions, windowAndLimitFields } from '../shared/getManyFields';
import type { GetManyInputs } from '../shared/getManyInputs';
import { readGetManyInputs, readListingInputs } from '../shared/getManyInputs';
import type { PlatformListing } from '../shared/platformGetMany';
import { getManyFromPlatform } from '../shared/platformGetMany';
import { runPerItem } from '../shared/runGetMany';
import { ZoneClock } from '../transport/time';
import { DAY_MS } from '../transport/windows';
import { earliestVoiceStartMs } from './horizon';
import { voiceRecordSchema } from './voiceRecordSchema';

const show = { operation: ['getMany'] };

export const voiceListing: PlatformListing = {
	endpoint: 'voiceRecords',
	timeFormat: 'iso-offset',
	windowParams: (strTime, endTime) => ({ strTime, endTime }),
	maxWindowMs: 31 * DAY_MS,
	idField: 'voiceId',
	recordSchema: voiceRecordSchema,
};

/** The shared checks, then the two-month horizon: refuse (naming the earliest start) or clamp. */
export function readVoiceInputs(ctx: IExecuteFunctions, itemIndex: number): GetManyInputs {
	const inputs = readGetManyInputs(ctx, itemIndex);
	const earliest = earliestVoiceStartMs(Date.now());
	if (inputs.startMs >= earliest) return inputs;
	const earliestText = new ZoneClock(inputs.timeZone).toIso(earliest);
	if (inputs.endMs <= earliest) {
		throw new NodeOperationError(ctx.getNode(), 'The whole time window is older than the two months voice records are kept', {
			itemIndex,
			description: `The API serves voice records from ${earliestText} on. Move End Time (and Start Time) later.`,
		});
	}
	if (inputs.options.clampToAvailableRange !== true) {
		throw new NodeOperationError(ctx.getNode(), `Start Time is older than the two months voice records are kept`, {
			itemIndex,
			description: `The earliest Start Time that can be queried now is ${earliestText}. Move Start Time to it or later, or turn on Options → Clamp Start to Available Range.`,
		});
	}
	ctx.addExecutionHints({
		message: `Start Time was moved to ${earliestText}: voice records are kept for two months only.`,
		location: 'outputPane',
	});
	return { ...inputs, startMs: earliest };
}

export class VoiceRecords implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Voice Records',
		name: 'voiceRecords',
		icon: { light: 'file:voiceRecords.svg', dark: 'file:voiceRecords.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ "Get many in a time window" }}',
		description: 'Read the voice message call records of your ITNIO Tech or Laaffic account (last two months)',
		defaults: { name: 'Voice Records' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'callRecordsApi', required: true }],
		properties: [
			getManyOperation('voice records', 'Get the voice calls of a time window within the last two months'),
			...windowAndLimitFields(show),
			getManyOptions(show, [
				{
					displayName: 'Clamp Start to Available Range',
					name: 'clampToAvailableRange',
					type: 'boolean',
					default: false,
					description:
						'Whether to move a Start Time older than two months to the earliest time the API serves (noted in the output pane) instead of failing',
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem(this, async (itemIndex) => {
			const { inputs, query } = readListingInputs(this, itemIndex, undefined, readVoiceInputs);
			return await getManyFromPlatform(this, itemIndex, voiceListing, inputs, query);
		});
	}
}
