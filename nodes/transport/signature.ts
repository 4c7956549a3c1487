import { createHash } from 'crypto';

/** Lower-case hex MD5 of apiKey + apiSecret + timestamp, as the providers' samples compute it. */
export function computeSign(apiKey: string, apiSecret: string, timestamp: string): string {
	return createHash('md5').update(apiKey + apiSecret + timestamp).digest('hex');
}

/** The three headers every ITNIO Tech / Laaffic request carries, for the given moment. */
export function signatureHeaders(apiKey: string, apiSecret: string, nowMs: number): Record<string, string> {
	const timestamp = String(Math.floor(nowMs / 1000));
	return { Timestamp: timestamp, 'Api-Key': apiKey, Sign: computeSign(apiKey, apiSecret, timestamp) };
}
