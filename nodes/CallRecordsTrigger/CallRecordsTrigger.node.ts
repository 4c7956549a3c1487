import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions, NodeApiError } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { callCenterFilterFields } from '../CallCenterRecords/filters';
import { TIMEOUT_OPTION } from '../shared/getManyFields';
import { toItems } from '../shared/items';
import type { CrowdedSecond, Listing } from '../shared/listing';
import { againstHorizon, readRecords } from '../shared/listing';
import { recordingOptionFields } from '../shared/recordings';
import { inputError } from '../transport/errors';
import { isRetriesSpent } from '../transport/retry';
import type { PollState, PollWindow, PolledRecord } from './pollState';
import { advance, initialState, pollWindow } from './pollState';
import { DOWNLOAD_SHARE, PollBudget } from './pollBudget';
import { readWindow } from './readWindow';
import { SOURCES, SOURCE_PHRASES } from './sources';
import type { TriggerOptions } from './triggerOptions';
import { onlyHangupReasonsFields } from './emitFilter';
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
		// 1.1: one hang-up filter per source (Call Center Records: Filters → Hang-Up Reasons only).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: `={{ "New " + ${JSON.stringify(SOURCE_PHRASES)}[$parameter["source"]] }}`,
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
				displayName: 'A first activation starts from now: records filed before it are not emitted unless Options → Backfill From is set',
				name: 'firstActivationNotice',
				type: 'notice',
				default: '',
			},
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
				placeholder: 'Add option',
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
							'Catches calls the provider files hours after they started: once every Look-Back, the trigger rereads this far back. Raise it if long calls are missed; 0 turns it off.',
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
						description: 'More new records than this are emitted over the following polls, oldest first. A poll that catches up reads at most 10 times this many records, whatever the Only options match.',
					},
					...onlyHangupReasonsFields(),
					{
						displayName: 'Only SIP Codes',
						name: 'onlySipCodes',
						type: 'string',
						default: '',
						placeholder: '486, 480',
						description: 'Comma-separated SIP codes (numbers); only records that ended with one are emitted. Not available for Flash Call CDRs.',
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
			return await pollOnce(this, trigger, now, key);
		} finally {
			runningPolls.delete(key);
		}
	}
}

/** The polls running in this process, by workflow and node. */
const runningPolls = new Set<string>();

/**
 * The revision of the state each trigger's last poll in this process saved, and when. Under
 * n8n's durable poll cursors a poll reads the cursor committed before it started, and a poll
 * commits its state only after it has returned (with the execution it starts): a poll that starts
 * in between reads the state before the last poll's and would emit that poll's records again. A
 * poll that finds an older revision than this process saved within STALE_STATE_MS returns
 * nothing and touches no state. Past that time the stored state is taken as it is (the newer
 * commit was refused: n8n started no execution with it, so nothing is emitted twice). The time
 * is far longer than a commit takes, and short because a re-published workflow also reloads an
 * older state (n8n saves static data only when a poll emits): its polls wait out the rest of it.
 */
const savedStates = new Map<string, { revision: number; atMs: number }>();
export const STALE_STATE_MS = 60_000;

/** A transiently failing recording holds its record back until it has failed on this many polls and for this long. */
export const RECORDING_RETRY_POLLS = 3;
export const RECORDING_RETRY_MS = 10 * 60_000;

async function pollOnce(ctx: IPollFunctions, trigger: TriggerOptions, now: number, key: string): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	let state = staticData.state as PollState | undefined;
	const saved = savedStates.get(key);
	if (state && saved && (state.revision ?? 0) < saved.revision && now - saved.atMs < STALE_STATE_MS) {
		ctx.logger.info(`${ctx.getNode().name}: the stored state predates the last poll's (not committed yet); skipped`);
		return null;
	}
	if (!state || state.source !== trigger.sourceId) {
		// A new state (another Source) starts its own revisions.
		savedStates.delete(key);
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

	const budget = new PollBudget(ctx);
	const read = await readWindow(ctx, trigger, state, window, budget);
	const { polled } = read;
	window = read.window;

	const { emit } = advance(state, polled, window, settings, trigger.matches);
	const failed = new Map<INodeExecutionData, NodeApiError[]>();
	const recordings = trigger.read.recordings && {
		...trigger.read.recordings,
		onMissing: 'continue' as const,
		onFailure: (item: INodeExecutionData, error: NodeApiError) => failed.set(item, [...(failed.get(item) ?? []), error]),
	};
	const { items, undone } = await toItemsWithin(ctx, listing, emit, { ...trigger.read, recordings }, budget);
	const failing = heldBack(trigger, state, failed, now);

	// Records whose recordings the budget left undownloaded wait, unseen, like held ones (but start no failure count).
	const held = new Set(Object.keys(failing));
	for (const record of undone) held.add(String(record[listing.idField]));
	const outcome = advance(state, polled, window, settings, trigger.matches, held);
	const next: PollState = Object.keys(failing).length > 0 ? { ...outcome.next, failing } : outcome.next;
	logEdge(ctx, listing, outcome.edge, settings);
	logCrowded(ctx, listing, crowded, outcome.emit);
	// Saved only now: a poll that failed above (a read) leaves the cursor where it was.
	staticData.state = next as unknown as IDataObject;
	savedStates.set(key, { revision: next.revision ?? 0, atMs: now });
	const emitted = new Set(outcome.emit);
	const out = items.filter((item) => emitted.has(item.json));
	return out.length > 0 ? [out] : null;
}

/**
 * The emitted records as items. With Download Recordings they are downloaded a few records at a
 * time, oldest first, until the poll has spent its share of the budget; the records left are
 * returned as `undone`, to be emitted by a later poll.
 */
async function toItemsWithin(
	ctx: IPollFunctions,
	listing: Listing,
	records: IDataObject[],
	read: TriggerOptions['read'],
	budget: PollBudget,
): Promise<{ items: INodeExecutionData[]; undone: IDataObject[] }> {
	if (!read.recordings) return { items: await toItems(ctx, 0, listing, records, read), undone: [] };
	const items: INodeExecutionData[] = [];
	const batch = Math.max(1, read.concurrency * 2);
	for (let start = 0; start < records.length; start += batch) {
		if (start > 0 && budget.spent(DOWNLOAD_SHARE)) return { items, undone: records.slice(start) };
		for (const item of await toItems(ctx, 0, listing, records.slice(start, start + batch), read)) items.push(item);
	}
	return { items, undone: [] };
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
	const clipped = { ...window, fromMs: earliestMs, untilMs: Math.max(window.untilMs, earliestMs), endMs: Math.max(window.endMs, earliestMs) };
	return window.sweepUntilMs === undefined ? clipped : { ...clipped, sweepUntilMs: Math.max(window.sweepUntilMs, earliestMs) };
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
	if (sample.length === 0) throw nothingMatched(ctx, trigger, span, recent.length);
	return [await toItems(ctx, 0, listing, sample, trigger.read)];
}

/**
 * Fetch Test Event found nothing: as n8n's own poll triggers do in a test run, an error says so
 * (an empty output would not tell an empty window from a filter that matches nothing), with why.
 */
function nothingMatched(ctx: IPollFunctions, trigger: TriggerOptions, spanMs: number, read: number): Error {
	const span = spanMs === 86_400_000 ? 'day' : `${spanMs / 86_400_000} days`;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const emitFilters = [
		['onlySipCodes', 'Only SIP Codes'],
		['onlyHangupReasons', 'Only Hang-Up Reasons'],
	].filter(([name]) => options[name] !== undefined && options[name] !== '').map(([, label]) => `Options → ${label}`);
	const apiFilters = Object.keys(trigger.read.filters).length > 0 ? ' or the Filters excluded them' : '';
	const description =
		read > 0
			? `${read} records were read; none matched ${emitFilters.join(' and ')}. Compare ${emitFilters.length > 1 ? 'their' : 'its'} values with the records' own (run without it to see them).`
			: `The API returned no records in that time${apiFilters}. If calls were made then, check the credential's Account Time Zone (a wrong zone shifts the window). Once active, the trigger still emits records as they arrive.`;
	return inputError(ctx, `No ${SOURCE_PHRASES[trigger.sourceId]} matched in the last ${span}`, description);
}
