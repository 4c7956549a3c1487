import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { callCenterFilterFields } from '../CallCenterRecords/filters';
import { TIMEOUT_OPTION } from '../shared/getManyFields';
import { toItems } from '../shared/items';
import { readRecords } from '../shared/listing';
import { recordingOptionFields } from '../shared/recordings';
import type { PollState, PolledRecord } from './pollState';
import { advance, initialState, pollWindow } from './pollState';
import { SOURCES } from './sources';
import type { TriggerOptions } from './triggerOptions';
import { readBackfillFrom, readTriggerOptions } from './triggerOptions';

const SAMPLE_SIZE = 5;
/** A test run reads this far back (flash calls, listed oldest first, only the last day). */
const SAMPLE_WINDOW_MS = 7 * 86_400_000;
const OLDEST_FIRST_SAMPLE_WINDOW_MS = 86_400_000;
const SAMPLE_READ_LIMIT = 100;

export class CallRecordsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Records Trigger',
		name: 'callRecordsTrigger',
		icon: { light: 'file:callRecordsTrigger.svg', dark: 'file:callRecordsTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "New " + $parameter["source"] }}',
		description: 'Starts the workflow when new call records appear (each record once)',
		defaults: { name: 'Call Records Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// NXCloud's credential is hidden for the other sources rather than shown for Flash Call CDRs:
		// when the credentials' `show` lists every value of a field, n8n's editor takes that field
		// for the node's authentication choice and hides it, and Source could not be changed.
		credentials: [
			{ name: 'callRecordsApi', required: true, displayOptions: { show: { source: ['numberRecords', 'callCenterRecords', 'voiceRecords'] } } },
			{ name: 'nxCloudApi', required: true, displayOptions: { hide: { source: ['numberRecords', 'callCenterRecords', 'voiceRecords'] } } },
		],
		properties: [
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				noDataExpression: true,
				options: Object.entries(SOURCES).map(([value, listing]) => ({ name: listing.name, value })),
				default: 'callCenterRecords',
				description: 'Which records to watch',
			},
			callCenterFilterFields({ source: ['callCenterRecords'] }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Backfill From',
						name: 'backfillFrom',
						type: 'dateTime',
						default: '',
						description: 'On first activation, emit the records since this time instead of starting from now',
					},
					{
						displayName: 'Look-Back (Minutes)',
						name: 'lookBackMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 15,
						description: 'How far before the last poll each poll reads again, to catch records the provider files late',
					},
					{
						displayName: 'Max Records per Poll',
						name: 'maxPerPoll',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1000,
						description: 'More new records than this are emitted over the following polls, oldest first',
					},
					{
						displayName: 'Only Hang-Up Reasons',
						name: 'onlyHangupReasons',
						type: 'string',
						default: '',
						placeholder: 'user busy, 7',
						description: 'Comma-separated hang-up reasons (text or code); only matching records are emitted. Not available for Flash Call CDRs.',
					},
					{
						displayName: 'Only SIP Codes',
						name: 'onlySipCodes',
						type: 'string',
						default: '',
						placeholder: '486, 480',
						description: 'Comma-separated SIP codes; only records that ended with one are emitted. Not available for Flash Call CDRs.',
					},
					{
						displayName: 'Settle Delay (Seconds)',
						name: 'settleSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 60,
						description: 'Records younger than this are left for the next poll, while the provider may still be writing them',
					},
					TIMEOUT_OPTION,
					...recordingOptionFields({ show: { '/source': ['numberRecords', 'callCenterRecords'] } }),
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const trigger = readTriggerOptions(this);
		const now = Date.now();
		// A test run shows a sample of recent records and leaves the stored cursor alone.
		if (this.getMode() === 'manual') return await sampleRecent(this, trigger, now);

		const staticData = this.getWorkflowStaticData('node');
		let state = staticData.state as PollState | undefined;
		if (!state || state.source !== trigger.sourceId) {
			const backfillMs = readBackfillFrom(this, trigger, now);
			state = initialState(trigger.sourceId, now, trigger.settings, backfillMs);
			if (backfillMs === undefined) {
				staticData.state = state as unknown as IDataObject;
				return null;
			}
		}

		const window = pollWindow(state, now, trigger.settings);
		if (window.untilMs < window.fromMs) return null;
		const { listing } = trigger;
		const records = await readRecords(this, 0, listing, { ...trigger.read, startMs: window.fromMs, endMs: window.untilMs });
		const polled: Array<PolledRecord<IDataObject>> = records.map((record) => ({
			id: String(record[listing.idField]),
			timeMs: Date.parse(String(record[listing.timeField])),
			record,
		}));
		const { emit, next } = advance(state, polled, window, trigger.settings, trigger.matches);
		const items = await toItems(this, 0, listing, emit, trigger.read);
		// Saved only now: a poll that failed above (a read, a download) leaves the cursor where it was.
		staticData.state = next as unknown as IDataObject;
		return items.length > 0 ? [items] : null;
	}
}

/**
 * The newest few matching records of the last days (within what the API serves), for a test
 * run. A listing that lists newest first is read up to a limit; one that lists oldest first is
 * read whole over a shorter span.
 */
async function sampleRecent(ctx: IPollFunctions, trigger: TriggerOptions, nowMs: number): Promise<INodeExecutionData[][] | null> {
	const { listing } = trigger;
	const span = listing.newestFirst ? SAMPLE_WINDOW_MS : OLDEST_FIRST_SAMPLE_WINDOW_MS;
	const startMs = Math.max(nowMs - span, listing.horizon?.earliestStartMs(nowMs) ?? -Infinity);
	const recent = await readRecords(ctx, 0, listing, {
		...trigger.read,
		startMs,
		endMs: nowMs,
		limit: listing.newestFirst ? SAMPLE_READ_LIMIT : undefined,
	});
	const time = (record: IDataObject) => Date.parse(String(record[listing.timeField]));
	const sample = recent.filter(trigger.matches).sort((a, b) => time(b) - time(a)).slice(0, SAMPLE_SIZE);
	return sample.length > 0 ? [await toItems(ctx, 0, listing, sample, trigger.read)] : null;
}
