/**
 * The nodes over https, as the providers serve them: the sandbox behind TLS with a certificate
 * made for the run, read through n8n's request helpers in the real engine. A process that does
 * not trust the certificate (this jest worker) must fail with words that say how to trust it; a
 * process that trusts it through NODE_EXTRA_CA_CERTS (a child, as n8n would be started) must
 * read exactly, with the redirect and recording-host rules holding over https as over http.
 */
import { mkdtempSync, rmSync } from 'fs';
import { createServer as createHttpsServer } from 'https';
import { createServer } from 'net';
import type { AddressInfo, Server } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { ACCOUNT_TIME_ZONE, SANDBOX_RECORDING_HOSTS, platformCredentials } from '../engine/fixtures';
import { runNode } from '../engine/harness';
import type { NodeRunOptions } from '../engine/harness';
import type { RemoteHarness } from '../engine/remoteHarness';
import { startRemoteHarness } from '../engine/remoteHarness';
import { makeCertificate, writeTrustFile } from '../network/certificate';
import { sha256 } from '../sandbox/recordings';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const WINDOW = { startTime: '2024-03-01T00:00:00Z', endTime: '2024-03-02T00:00:00Z' };

let sandbox: Sandbox;
let trusting: RemoteHarness;
let dir: string;
/** An internal service: it counts every connection, and answers none. */
let internal: Server;
let internalPort = 0;
let connections = 0;

beforeAll(async () => {
	const certificate = makeCertificate();
	dir = mkdtempSync(join(tmpdir(), 'call-records-https-'));
	sandbox = await startSandbox({
		seed: 11,
		timeZone: ACCOUNT_TIME_ZONE,
		numberRecords: { count: 450, from: WINDOW.startTime, to: WINDOW.endTime },
		recordingBytes: 8_044,
		tls: certificate,
	});
	internal = createServer((socket) => {
		connections++;
		socket.destroy();
	});
	await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
	internalPort = (internal.address() as AddressInfo).port;
	trusting = await startRemoteHarness({ NODE_EXTRA_CA_CERTS: writeTrustFile(certificate, dir) });
}, 60_000);

afterAll(async () => {
	await trusting?.stop();
	await sandbox?.stop();
	await new Promise<void>((resolve) => internal.close(() => resolve()));
	rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
	sandbox.reset();
	connections = 0;
});

function getMany(window = WINDOW, options: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}): NodeRunOptions {
	return {
		type: 'numberRecords',
		parameters: { operation: 'getMany', ...window, returnAll: true, options } as NodeRunOptions['parameters'],
		credentials: platformCredentials(sandbox, credentials as never),
	};
}

/** Files one number record whose recording URL is `url`, in an hour of its own after the data set. */
let slot = 0;
function numberRecordWith(url: string): { id: string; window: typeof WINDOW } {
	const at = Date.parse('2024-03-10T00:00:00Z') + slot++ * 3_600_000;
	const [record] = sandbox.addRecords('numberRecords', 1, at, at);
	record.wire.recordingFileUrl = url;
	return { id: record.id, window: { startTime: new Date(at - 1000).toISOString(), endTime: new Date(at + 1000).toISOString() } };
}

describe('over https: the certificate', () => {
	test('the sandbox serves TLS', () => {
		expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
	});

	test('a certificate n8n does not trust: the run fails at once, naming the certificate and how to trust it', async () => {
		const started = Date.now();
		const result = await runNode(getMany());
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(new RegExp(`^The API's certificate at ${sandbox.url.replace(/\./g, '\\.')} is not trusted`));
		expect(result.error?.description).toMatch(/NODE_EXTRA_CA_CERTS/);
		// Nothing reached the API, and the refusal was not retried as a network hiccup.
		expect(sandbox.requests).toHaveLength(0);
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	test('trusted through NODE_EXTRA_CA_CERTS: Get Many reads every record exactly, in order, over TLS 1.3', async () => {
		const result = await trusting.run(getMany());
		expect(result.error).toBeUndefined();
		const want = sandbox.recordsIn('numberRecords', Date.parse(WINDOW.startTime), Date.parse(WINDOW.endTime)).map((r) => r.id);
		expect(want.length).toBeGreaterThan(400);
		expect(result.items.map((item) => String(item.json.callid))).toEqual(want);
		expect(sandbox.requests.length).toBeGreaterThanOrEqual(5);
		expect(new Set(sandbox.requests.map((r) => r.tls))).toEqual(new Set(['TLSv1.3']));
	}, 60_000);

	test('a trusted certificate made for another name: the run fails, naming the host the certificate does not cover', async () => {
		const url = sandbox.url.replace('127.0.0.1', 'localhost');
		const result = await trusting.run(getMany(WINDOW, {}, { baseUrl: url }));
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(new RegExp(`^The API's certificate at ${url.replace(/\./g, '\\.')} is not valid for localhost`));
		expect(result.error?.description).toMatch(/Base URL/);
		expect(sandbox.requests).toHaveLength(0);
	}, 60_000);
});

describe('over https: redirects', () => {
	test('an https API that redirects is reported, not followed', async () => {
		sandbox.inject({ kind: 'http', httpStatus: 302, location: `https://127.0.0.1:${internalPort}/number/record/queryPage`, times: 10 });
		const result = await trusting.run(getMany());
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(`The API answered HTTP 302, a redirect to https://127.0.0.1:${internalPort}`);
		expect(connections).toBe(0);
	}, 60_000);
});

describe('over https: recording hosts', () => {
	test('a recording on a trusted https host at 127.0.0.1 is refused by default, and nothing connects', async () => {
		const mirror = await sandbox.recordings.startHttpsMirror();
		const { id, window } = numberRecordWith(`${mirror}/rec/refused.wav`);
		const result = await trusting.run(getMany(window, { downloadRecordings: true, onMissingRecording: 'continue' }));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => String(item.json.callid))).toEqual([id]);
		expect(String(result.items[0].json.recordingError)).toMatch(/was not downloaded: its host is a loopback address/);
		expect(sandbox.recordings.requests).toHaveLength(0);
	}, 60_000);

	test('with Allow Private-Network Recording Hosts, the file arrives byte for byte over https, without the API headers', async () => {
		const mirror = await sandbox.recordings.startHttpsMirror();
		const { window } = numberRecordWith(`${mirror}/rec/over-tls.wav`);
		const result = await trusting.run(getMany(window, { downloadRecordings: true }, SANDBOX_RECORDING_HOSTS));
		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary?.recording;
		expect(binary?.data).toBeDefined();
		expect(sha256(Buffer.from(binary!.data, 'base64'))).toBe(sha256(sandbox.recordings.bytesOf('/rec/over-tls.wav')));
		const served = sandbox.recordings.requests.filter((r) => r.host === 'https');
		expect(served.map((r) => [r.path, r.apiKey, r.sign])).toEqual([['/rec/over-tls.wav', undefined, undefined]]);
	}, 60_000);

	test('a trusted https recording host that redirects to http or to a private host is refused at the redirect', async () => {
		const mirror = await sandbox.recordings.startHttpsMirror();
		const toHttp = numberRecordWith(`${mirror}/rec/to-http.wav`);
		sandbox.recordings.inject({ kind: 'redirect', host: 'https', path: 'to-http', location: `http://127.0.0.1:${internalPort}/a.wav`, times: 10 });
		const plain = await trusting.run(getMany(toHttp.window, { downloadRecordings: true, onMissingRecording: 'continue' }, SANDBOX_RECORDING_HOSTS));
		expect(String(plain.items[0].json.recordingError)).toMatch(/to-http\.wav could not be downloaded: redirected to a non-https address/);

		const toPrivate = numberRecordWith(`${mirror}/rec/to-private.wav`);
		sandbox.recordings.inject({ kind: 'redirect', host: 'https', path: 'to-private', location: `https://10.0.0.1:${internalPort}/a.wav`, times: 10 });
		// The mirror is the Recording Base URL the user typed, so it is allowed; where it redirects is not.
		const refused = await trusting.run(getMany(toPrivate.window, { downloadRecordings: true, onMissingRecording: 'continue' }, { recordingBaseUrl: mirror }));
		expect(String(refused.items[0].json.recordingError)).toMatch(new RegExp(`to-private\\.wav was not downloaded: it redirects to https://10\\.0\\.0\\.1:${internalPort}, and its host is a private`));
		expect(sandbox.recordings.requests.filter((r) => r.path === '/rec/to-private.wav')).toHaveLength(1);
		expect(connections).toBe(0);
	}, 60_000);

	test('a recording host whose certificate n8n does not trust: the recordingError names the certificate and how to trust it', async () => {
		// A host with a certificate of its own, which the trusting process does not know: the TLS handshake fails before any request.
		let requests = 0;
		const stranger = createHttpsServer(makeCertificate(), (_req, res) => {
			requests++;
			res.end();
		});
		await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
		try {
			const { window } = numberRecordWith(`https://127.0.0.1:${(stranger.address() as AddressInfo).port}/rec/untrusted.wav`);
			const result = await trusting.run(getMany(window, { downloadRecordings: true, onMissingRecording: 'continue' }, SANDBOX_RECORDING_HOSTS));
			expect(result.error).toBeUndefined();
			expect(String(result.items[0].json.recordingError)).toMatch(/untrusted\.wav could not be downloaded: the host's certificate is not trusted by this n8n \(self-signed certificate\); to trust a private CA, start n8n with the environment variable NODE_EXTRA_CA_CERTS/);
			expect(requests).toBe(0);
		} finally {
			await new Promise<void>((resolve) => stranger.close(() => resolve()));
		}
	}, 60_000);
});
