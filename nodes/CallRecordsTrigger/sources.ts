import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { callCenterListing } from '../CallCenterRecords/CallCenterRecords.node';
import { parseCallCenterFilters } from '../CallCenterRecords/filters';
import { fetchFlashCalls } from '../FlashCallCdrs/fetchFlashCalls';
import { numberRecordsListing } from '../NumberRecords/NumberRecords.node';
import { voiceListing } from '../VoiceRecords/VoiceRecords.node';
import type { GetManyInputs } from '../shared/getManyInputs';
import { getManyFromPlatform } from '../shared/platformGetMany';
import { getNxCloudAccount } from '../transport/nxcloudClient';

export type SourceId = 'numberRecords' | 'callCenterRecords' | 'voiceRecords' | 'flashCallCdrs';

/** How the trigger reads one source: its records are the matching node's output items. */
export interface TriggerSource {
	name: string;
	credential: 'callRecordsApi' | 'nxCloudApi';
	idField: string;
	/** The time a record is filed under (what the API's window selects on). */
	timeField: string;
	/** Fields the "Only SIP Codes" / "Only Hang-Up Reasons" options compare with. */
	sipFields: string[];
	reasonFields: string[];
	/** Reads a window, every page, shaped like the node's output. */
	read: (ctx: IPollFunctions, inputs: GetManyInputs) => Promise<IDataObject[]>;
}

export const SOURCES: Record<SourceId, TriggerSource> = {
	numberRecords: {
		name: 'Number Records',
		credential: 'callRecordsApi',
		idField: 'callid',
		timeField: 'startTime',
		sipFields: ['sipCode'],
		reasonFields: ['hangupReason'],
		read: async (ctx, inputs) => await getManyFromPlatform(ctx, 0, numberRecordsListing, inputs),
	},
	callCenterRecords: {
		name: 'Call Center Records',
		credential: 'callRecordsApi',
		idField: 'keyId',
		timeField: 'callStartTime',
		sipFields: ['hangupCode'],
		reasonFields: ['hangupReason', 'hangupReasonLabel'],
		read: async (ctx, inputs) =>
			await getManyFromPlatform(ctx, 0, callCenterListing, inputs, parseCallCenterFilters(ctx.getNode(), ctx.getNodeParameter('filters', {}), 0)),
	},
	voiceRecords: {
		name: 'Voice Records',
		credential: 'callRecordsApi',
		idField: 'voiceId',
		timeField: 'submitTime',
		sipFields: ['terminationCode'],
		reasonFields: ['terminationReason', 'terminationLabel'],
		read: async (ctx, inputs) => await getManyFromPlatform(ctx, 0, voiceListing, inputs),
	},
	flashCallCdrs: {
		name: 'Flash Call CDRs',
		credential: 'nxCloudApi',
		idField: 'id',
		timeField: 'gmtCreate',
		sipFields: [],
		reasonFields: [],
		read: async (ctx, inputs) => await fetchFlashCalls(ctx, 0, inputs, await getNxCloudAccount(ctx)),
	},
};
