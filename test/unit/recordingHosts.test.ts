import { NodeApiError } from 'n8n-workflow';

import { recordingHostRefusal } from '../../nodes/transport/recordingHosts';
import type { RecordingHostPolicy } from '../../nodes/transport/recordingHosts';
import { ssrfRefusalOf } from '../../nodes/transport/http';

const closed: RecordingHostPolicy = { trustedOrigins: new Set(), allowPrivateNetworks: false };
const refusal = (url: string, policy = closed) => recordingHostRefusal(new URL(url), policy);

describe('recording host rules', () => {
	const refused: Array<[string, RegExp]> = [
		['http://127.0.0.1/rec.wav', /loopback/],
		['https://127.255.255.254:8443/rec.wav', /loopback/],
		['http://2130706433/rec.wav', /loopback/], // decimal
		['http://0x7f000001/rec.wav', /loopback/], // hex
		['http://0177.0.0.1/rec.wav', /loopback/], // octal
		['http://0x7f.1/rec.wav', /loopback/], // mixed short form
		['http://127.1/rec.wav', /loopback/],
		['http://127.0.0.1./rec.wav', /loopback/], // trailing dot
		['http://%31%32%37.0.0.1/rec.wav', /loopback/], // percent-encoded
		['http://0.0.0.0/rec.wav', /unspecified/],
		['http://0/rec.wav', /unspecified/],
		['http://10.0.0.5/rec.wav', /private address \(10/],
		['https://10.255.255.255/rec.wav', /private/],
		['http://172.16.0.1/rec.wav', /private address \(172\.16/],
		['http://172.31.255.255/rec.wav', /private/],
		['http://192.168.1.1/rec.wav', /private address \(192\.168/],
		['http://169.254.169.254/latest/meta-data/', /link-local/],
		['http://100.64.0.1/rec.wav', /CGNAT/],
		['http://100.127.255.255/rec.wav', /CGNAT/],
		['http://[::1]/rec.wav', /loopback address \(::1\)/],
		['http://[0:0:0:0:0:0:0:1]:8080/rec.wav', /loopback/],
		['http://[::]/rec.wav', /unspecified/],
		['http://[fe80::1]/rec.wav', /link-local address \(fe80/],
		['http://[febf:ffff::1]/rec.wav', /link-local/],
		['http://[fc00::1]/rec.wav', /unique-local/],
		['http://[fd12:3456:789a::1]/rec.wav', /unique-local/],
		['http://[::ffff:127.0.0.1]/rec.wav', /loopback address inside an IPv6 address/],
		['http://[::ffff:7f00:1]/rec.wav', /loopback/],
		['http://[0:0:0:0:0:ffff:10.0.0.1]/rec.wav', /private/],
		['http://[::ffff:169.254.169.254]/rec.wav', /link-local/],
		['http://[::127.0.0.1]/rec.wav', /loopback/], // IPv4-compatible
		['http://[64:ff9b::10.0.0.1]/rec.wav', /private/], // NAT64
		['http://localhost/rec.wav', /localhost/],
		['http://LOCALHOST:3000/rec.wav', /localhost/],
		['http://localhost./rec.wav', /localhost/],
		['http://storage.localhost/rec.wav', /localhost/],
		['ftp://files.example.com/rec.wav', /scheme "ftp:" is not http or https/],
		['file:///etc/passwd', /scheme "file:"/],
		['gopher://files.example.com/', /scheme/],
		['data:audio/wav;base64,AAAA', /scheme "data:"/],
	];
	test.each(refused)('%s is refused', (url, rule) => {
		expect(refusal(url)).toMatch(rule);
	});

	const allowed = [
		'https://files.example.com/rec.wav',
		'http://files.example.com:8080/rec.wav',
		'https://8.8.8.8/rec.wav',
		'http://172.15.255.255/rec.wav', // just below 172.16/12
		'http://172.32.0.1/rec.wav', // just above it
		'http://100.63.255.255/rec.wav', // just below CGNAT
		'http://100.128.0.1/rec.wav',
		'http://169.253.1.1/rec.wav',
		'http://11.0.0.1/rec.wav',
		'http://[2001:db8::1]/rec.wav',
		'http://[2606:4700::1111]/rec.wav',
		'http://[::ffff:8.8.8.8]/rec.wav',
		'http://[fec0::1]/rec.wav', // past fe80::/10
		'https://localhost.example.com/rec.wav',
		'https://mylocalhost/rec.wav',
		'http://127.0.0.1.nip.io/rec.wav', // a name: left to n8n's SSRF protection
	];
	test.each(allowed)('%s is allowed', (url) => {
		expect(refusal(url)).toBeUndefined();
	});
	test('counts: at least 25 refused and 10 allowed', () => {
		expect(refused.length).toBeGreaterThanOrEqual(25);
		expect(allowed.length).toBeGreaterThanOrEqual(10);
	});

	test('the origins typed into the credential are allowed; another port on the same host is not', () => {
		const policy: RecordingHostPolicy = { trustedOrigins: new Set(['http://127.0.0.1:3000', 'http://10.0.0.5']), allowPrivateNetworks: false };
		expect(refusal('http://127.0.0.1:3000/agent-call-record/1.wav', policy)).toBeUndefined();
		expect(refusal('http://10.0.0.5:80/rec.wav', policy)).toBeUndefined(); // the default port is the same origin
		expect(refusal('http://127.0.0.1:3001/rec.wav', policy)).toMatch(/loopback/);
		expect(refusal('https://127.0.0.1:3000/rec.wav', policy)).toMatch(/loopback/);
		expect(refusal('http://10.0.0.5:8080/rec.wav', policy)).toMatch(/private/);
	});

	test('Allow Private-Network Recording Hosts lets every private host through, but never another scheme', () => {
		const open: RecordingHostPolicy = { trustedOrigins: new Set(), allowPrivateNetworks: true };
		for (const [url] of refused.filter(([u]) => /^https?:/.test(u))) expect(refusal(url, open)).toBeUndefined();
		expect(refusal('file:///etc/passwd', open)).toMatch(/scheme/);
	});
});

describe("n8n's SSRF refusal, as the node recognises it", () => {
	const blocked = () => Object.assign(new Error('The request was blocked because it resolves to a restricted IP address'), { name: 'SsrfBlockedIpError', description: "The target 'vm' (127.0.0.1) is not allowed." });
	const node = { id: '1', name: 'Number Records', type: 'n8n-nodes-call-records.numberRecords', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	test('from the plain helper, and wrapped in the NodeApiError the signed helper throws', () => {
		expect(ssrfRefusalOf(blocked())).toEqual({ message: 'The request was blocked because it resolves to a restricted IP address', description: "The target 'vm' (127.0.0.1) is not allowed." });
		expect(ssrfRefusalOf(new NodeApiError(node, blocked() as never))?.message).toMatch(/restricted IP address/);
	});

	test('any other failure is not one', () => {
		expect(ssrfRefusalOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
		expect(ssrfRefusalOf(undefined)).toBeUndefined();
		expect(ssrfRefusalOf(new NodeApiError(node, { message: 'HTTP 500' }))).toBeUndefined();
	});
});
