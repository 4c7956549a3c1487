import { callCenterListing } from '../CallCenterRecords/listing';
import { flashCallListing } from '../FlashCallCdrs/listing';
import { numberRecordsListing } from '../NumberRecords/listing';
import { voiceListing } from '../VoiceRecords/listing';
import type { Listing } from '../shared/listing';

/** What the trigger can watch: each source's records are its node's output items. */
export const SOURCES = {
	numberRecords: numberRecordsListing,
	callCenterRecords: callCenterListing,
	voiceRecords: voiceListing,
	flashCallCdrs: flashCallListing,
} satisfies Record<string, Listing>;

export type SourceId = keyof typeof SOURCES;

/** Each source in running text, for the subtitle ("New call center records"): acronyms keep their case. */
export const SOURCE_PHRASES = Object.fromEntries(
	Object.entries(SOURCES).map(([id, listing]) => [id, listing.name.replace(/\b\w+\b/g, (word) => (/^[A-Z]{2,}s?$/.test(word) ? word : word.toLowerCase()))]),
) as Record<SourceId, string>;
