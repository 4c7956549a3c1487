import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, NodeApiError } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { callCenterFilterFields } from '../CallCenterRecords/filters';
import { TIMEOUT_OPTION } from '../shared/getManyFields';
import { toItems } from '../shared/items';
import type { CrowdedSecond, Listing } from '../shared/listing';
import { againstHorizon, readRecords } from '../shared/listing';
import { recordingOptionFields } from '../shared/recordings';
import { isRetriesSpent } from '../transport/retry';
import type { PollState, PollWindow, PolledRecord } from './pollState';
import { advance, freshCount, initialState, nextPart, pollWindow } from './pollState';
import { SOURCES } from './sources';
import type { TriggerOptions } from './triggerOptions';
import { DEFAULT_LONG_CALL_HOURS, readBackfillFrom, readTriggerOptions } from './triggerOptions';

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
						displayName: 'Long-Call Look-Back (Hours)',
						name: 'longCallHours',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_LONG_CALL_HOURS,
						description:
							'How far back a sweep reads, once every Look-Back, for calls filed long after they started (a record is timed by the call\'s start). A record is emitted if it appears at most this much less one Look-Back and one poll interval after its start: 5 h 44 min with the defaults and polls every minute. 0: no sweeps.',
					},
					{
						displayName: 'Look-Back (Minutes)',
						name: 'lookBackMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 15,
						description: 'How far before the last poll each poll reads again, to catch records the provider files late. Records filed later still are caught by the sweep (Long-Call Look-Back).',
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
		// n8n starts a poll on every tick without waiting for the one before (and the durable
		// scheduler fires the ticks it missed at once): a poll that finds another of this trigger
		// still running returns nothing, touching no state; the next poll reads from the saved cursor.
		const key = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`;
		if (runningPolls.has(key)) {
			this.logger.info(`${this.getNode().name}: a poll started while the previous one was still running; skipped`);
			return null;
		}
		runningPolls.add(key);
		try {
			return await pollOnce(this, trigger, now);
		} finally {
			runningPolls.delete(key);
		}
	}
}

/** The polls running in this process, by workflow and node. */
const runningPolls = new Set<string>();

/** A transiently failing recording holds its record back until it has failed on this many polls and for this long. */
export const RECORDING_RETRY_POLLS = 3;
export const RECORDING_RETRY_MS = 10 * 60_000;

async function pollOnce(ctx: IPollFunctions, trigger: TriggerOptions, now: number): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	let state = staticData.state as PollState | undefined;
	if (!state || state.source !== trigger.sourceId) {
		const backfillMs = readBackfillFrom(ctx, trigger, now);
		state = initialState(trigger.sourceId, now, trigger.settings, backfillMs);
		if (backfillMs === undefined) {
			staticData.state = state as unknown as IDataObject;
			return null;
		}
	}
	const { settings, listing } = trigger;
	// The reads tell of seconds they could not page past; logCrowded names those emitted.
	const crowded: CrowdedSecond[] = [];
	trigger = { ...trigger, read: { ...trigger.read, onCrowdedSecond: (second) => crowded.push(second) } };
	let window = withinHorizon(ctx, listing, pollWindow(state, now, settings), now);
	if (window.untilMs < window.fromMs) return null;

	// While catching up, the window is read in parts, each reaching twice as far, until it holds a poll's worth.
	const polled = await readPolled(ctx, trigger, window);
	for (let more = nextPart(state, window, freshCount(state, polled, trigger.matches), settings); more; ) {
		window = more.window;
		const known = new Set(polled.map((r) => r.id));
		polled.push(...(await readPolled(ctx, trigger, more.part)).filter((r) => !known.has(r.id)));
		more = nextPart(state, window, freshCount(state, polled, trigger.matches), settings);
	}

	const { emit } = advance(state, polled, window, settings, trigger.matches);
	const failed = new Map<INodeExecutionData, NodeApiError[]>();
	const recordings = trigger.read.recordings && {
		...trigger.read.recordings,
		onMissing: 'continue' as const,
		onFailure: (item: INodeExecutionData, error: NodeApiError) => failed.set(item, [...(failed.get(item) ?? []), error]),
	};
	const items = await toItems(ctx, 0, listing, emit, { ...trigger.read, recordings });
	const failing = heldBack(trigger, state, failed, now);

	const outcome = advance(state, polled, window, settings, trigger.matches, new Set(Object.keys(failing)));
	const next: PollState = Object.keys(failing).length > 0 ? { ...outcome.next, failing } : outcome.next;
	logEdge(ctx, listing, outcome.edge, settings);
	logCrowded(ctx, listing, crowded, outcome.emit);
	// Saved only now: a poll that failed above (a read) leaves the cursor where it was.
	staticData.state = next as unknown as IDataObject;
	const emitted = new Set(outcome.emit);
	const out = items.filter((item) => emitted.has(item.json));
	return out.length > 0 ? [out] : null;
}

/** The window's records, each with its id and time (a record whose time does not read is timed at the window's end). */
async function readPolled(ctx: IPollFunctions, trigger: TriggerOptions, part: { fromMs: number; untilMs: number }): Promise<Array<PolledRecord<IDataObject>>> {
	const { listing } = trigger;
	const records = await readRecords(ctx, 0, listing, { ...trigger.read, startMs: part.fromMs, endMs: part.untilMs });
	return records.map((record) => {
		const timeMs = Date.parse(String(record[listing.timeField]));
		return { id: String(record[listing.idField]), timeMs: Number.isNaN(timeMs) ? part.untilMs : timeMs, record };
	});
}

/**
 * The records to hold back for another try: those with a recording that failed transiently
 * (retries spent on a 5xx, a time-out, a reset) under On Missing Recording = Fail, until they
 * have failed on RECORDING_RETRY_POLLS polls and for RECORDING_RETRY_MS. Then, and at once for
 * a permanent failure (404, too large), the record is emitted with its recordingError.
 */
function heldBack(trigger: TriggerOptions, state: PollState, failed: Map<INodeExecutionData, NodeApiError[]>, now: number): NonNullable<PollState['failing']> {
	const failing: NonNullable<PollState['failing']> = {};
	if (trigger.read.recordings?.onMissing !== 'fail') return failing;
	for (const [item, errors] of failed) {
		if (!errors.some(isRetriesSpent)) continue;
		const id = String(item.json[trigger.listing.idField]);
		const before = state.failing?.[id];
		const polls = (before?.polls ?? 0) + 1;
		const sinceMs = before?.sinceMs ?? now;
		if (polls >= RECORDING_RETRY_POLLS && now - sinceMs >= RECORDING_RETRY_MS) continue;
		failing[id] = { polls, sinceMs };
	}
	return failing;
}

/** A window that starts before what the API keeps starts at the earliest second it serves; the log says what was lost. */
function withinHorizon(ctx: IPollFunctions, listing: Listing, window: PollWindow, now: number): PollWindow {
	const horizon = againstHorizon(listing, window.fromMs, window.untilMs, now);
	if (!horizon.tooOld) return window;
	const earliestMs = Math.ceil(horizon.earliestMs / 1000) * 1000;
	ctx.logger.warn(
		`${ctx.getNode().name}: ${listing.name} from ${new Date(window.fromMs).toISOString()} to ${new Date(earliestMs).toISOString()} can no longer be read (older than ${horizon.kept}); reading from ${new Date(earliestMs).toISOString()}`,
	);
	return { ...window, fromMs: earliestMs, untilMs: Math.max(window.untilMs, earliestMs), endMs: Math.max(window.endMs, earliestMs) };
}

/** Says in n8n's log when records arrived near the edge of what the trigger covers, or outside their own time's window. */
function logEdge(ctx: IPollFunctions, listing: Listing, edge: Array<PolledRecord<IDataObject>>, settings: TriggerOptions['settings']): void {
	if (edge.length === 0) return;
	const oldest = edge.reduce((a, b) => (b.timeMs < a.timeMs ? b : a));
	ctx.logger.warn(
		`${ctx.getNode().name}: ${edge.length} ${listing.name.toLowerCase()} arrived near the edge of what the trigger reads back (Long-Call Look-Back ${settings.longLookBackMs / 3_600_000} h), ` +
			`the oldest ${listing.idField} ${oldest.id} timed ${new Date(oldest.timeMs).toISOString()}; records that arrive later than that are not emitted: raise Options → Long-Call Look-Back (Hours), or check the credential's Account Time Zone`,
	);
}

/** Says in n8n's log when records of a second the API cannot page past are emitted: once, as they are. */
function logCrowded(ctx: IPollFunctions, listing: Listing, crowded: CrowdedSecond[], emit: IDataObject[]): void {
	if (crowded.length === 0) return;
	const emitted = new Set(emit.map((record) => String(record[listing.idField])));
	const told = new Set<string>();
	for (const { second, timeZone, ids, reason } of crowded) {
		const count = ids.filter((id) => emitted.has(id)).length;
		if (count === 0 || told.has(second)) continue;
		told.add(second);
		ctx.logger.warn(`${ctx.getNode().name}: emitted ${count} ${listing.name.toLowerCase()} of the second ${second} (${timeZone}), each marked in recordError: ${reason}`);
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
