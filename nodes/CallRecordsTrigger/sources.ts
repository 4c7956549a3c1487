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
