import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { callCenterFilterFields } from '../CallCenterRecords/filters';
import { earliestVoiceStartMs } from '../VoiceRecords/horizon';
import { DEFAULT_MAX_PARALLEL_REQUESTS, TIMEOUT_OPTION } from '../shared/getManyFields';
import type { GetManyInputs } from '../shared/getManyInputs';
import { asItems } from '../shared/runGetMany';
import { isValidTimeZone, parseUserDateTime } from '../transport/time';
import type { PollSettings, PollState, PolledRecord } from './pollState';
import { advance, initialState, pollWindow } from './pollState';
import type { SourceId } from './sources';
import { SOURCES } from './sources';

const SAMPLE_SIZE = 5;
/** A test run reads this far back (flash calls, listed oldest first, only the last day). */
const SAMPLE_WINDOW_MS = 7 * 86_400_000;
const FLASH_SAMPLE_WINDOW_MS = 86_400_000;
const SAMPLE_READ_LIMIT = 100;

function list(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((s) => s.trim().toLowerCase())
		.filter(Boolean);
}

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
				options: (Object.entries(SOURCES) as Array<[SourceId, (typeof SOURCES)[SourceId]]>).map(([value, source]) => ({ name: source.name, value })),
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
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const sourceId = this.getNodeParameter('source') as SourceId;
		const source = SOURCES[sourceId];
		const node = this.getNode();
		if (!source) throw new NodeOperationError(node, `Unknown Source "${String(sourceId)}"`, { description: 'Choose one of the listed sources.' });
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const timeZone = this.getTimezone();
		if (!isValidTimeZone(timeZone)) {
			throw new NodeOperationError(node, `The workflow's time zone "${timeZone}" is not a time zone`, { description: 'Set a valid time zone in the workflow settings.' });
		}
		const number = (name: string, label: string, fallback: number, min: number) => {
			const value = options[name] ?? fallback;
			if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
				throw new NodeOperationError(node, `Options → ${label} must be a number of at least ${min}`, { description: `Got "${String(value)}".` });
			}
			return value;
		};
		const settings: PollSettings = {
			lookBackMs: number('lookBackMinutes', 'Look-Back (Minutes)', 15, 0) * 60_000,
			settleMs: number('settleSeconds', 'Settle Delay (Seconds)', 60, 0) * 1000,
			maxPerPoll: Math.floor(number('maxPerPoll', 'Max Records per Poll', 1000, 1)),
		};
		const timeoutMs = number('timeoutSeconds', 'Timeout (Seconds)', 60, 1) * 1000;
		const sipCodes = list(options.onlySipCodes);
		const reasons = list(options.onlyHangupReasons);
		if (sourceId === 'flashCallCdrs' && (sipCodes.length > 0 || reasons.length > 0)) {
			throw new NodeOperationError(node, 'Only SIP Codes and Only Hang-Up Reasons are not available for Flash Call CDRs', {
				description: 'Flash-call records carry neither. Remove these options.',
			});
		}
		const matches = (record: IDataObject) =>
			(sipCodes.length === 0 || source.sipFields.some((f) => sipCodes.includes(String(record[f] ?? '').toLowerCase()))) &&
			(reasons.length === 0 || source.reasonFields.some((f) => reasons.includes(String(record[f] ?? '').toLowerCase())));
		const read = async (fromMs: number, untilMs: number, limit?: number) => {
			const inputs: GetManyInputs = {
				startMs: fromMs,
				endMs: untilMs,
				limit,
				concurrency: DEFAULT_MAX_PARALLEL_REQUESTS,
				timeoutMs,
				rawOutput: false,
				timeZone,
				options: {},
			};
			return await source.read(this, inputs);
		};
		const now = Date.now();

		if (this.getMode() === 'manual') {
			// A test run shows a sample of recent records and leaves the stored cursor alone.
			const newestFirst = source.credential === 'callRecordsApi';
			let fromMs = now - (newestFirst ? SAMPLE_WINDOW_MS : FLASH_SAMPLE_WINDOW_MS);
			if (sourceId === 'voiceRecords') fromMs = Math.max(fromMs, earliestVoiceStartMs(now));
			const recent = await read(fromMs, now, newestFirst ? SAMPLE_READ_LIMIT : undefined);
			const time = (record: IDataObject) => Date.parse(String(record[source.timeField]));
			const sample = recent.filter(matches).sort((a, b) => time(b) - time(a)).slice(0, SAMPLE_SIZE);
			return sample.length > 0 ? [asItems(sample)] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		let state = staticData.state as PollState | undefined;
		if (!state || state.source !== sourceId) {
			let backfillMs: number | undefined;
			if (options.backfillFrom) {
				backfillMs = parseUserDateTime(options.backfillFrom, timeZone);
				if (backfillMs === undefined) {
					throw new NodeOperationError(node, `Options → Backfill From "${String(options.backfillFrom)}" is not a date and time`, {
						description: 'Use ISO 8601 such as 2024-01-31T00:00:00, or pick one with the date picker.',
					});
				}
				if (sourceId === 'voiceRecords' && backfillMs < earliestVoiceStartMs(now)) {
					throw new NodeOperationError(node, 'Options → Backfill From is older than the two months voice records are kept', {
						description: `Use ${new Date(earliestVoiceStartMs(now)).toISOString()} or later.`,
					});
				}
			}
			state = initialState(sourceId, now, settings, backfillMs);
			if (backfillMs === undefined) {
				staticData.state = state as unknown as IDataObject;
				return null;
			}
		}

		const window = pollWindow(state, now, settings);
		if (window.untilMs < window.fromMs) return null;
		const records = await read(window.fromMs, window.untilMs);
		const polled: Array<PolledRecord<IDataObject>> = records.map((record) => ({
			id: String(record[source.idField]),
			timeMs: Date.parse(String(record[source.timeField])),
			record,
		}));
		const { emit, next } = advance(state, polled, window, settings, matches);
		// Saved only now: a poll that failed above leaves the cursor where it was.
		staticData.state = next as unknown as IDataObject;
		return emit.length > 0 ? [asItems(emit)] : null;
	}
}
