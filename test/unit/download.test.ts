import { fileNameOf, mimeTypeOf } from '../../nodes/transport/download';

describe('a downloaded recording: its file name and MIME type', () => {
	test.each([
		['audio/mpeg', 'call.mp3', 'audio/mpeg'],
		['audio/wav; charset=binary', 'call.wav', 'audio/wav'],
		['AUDIO/X-WAV', 'call.bin', 'audio/x-wav'],
		[undefined, 'call.wav', 'audio/wav'],
		['', 'call.MP3', 'audio/mpeg'],
		['application/octet-stream', 'call.amr', 'audio/amr'],
		['binary/octet-stream', 'call.ogg', 'audio/ogg'],
		['application/octet-stream', 'call.xyz', 'application/octet-stream'],
		[undefined, 'call', 'application/octet-stream'],
		[['audio/ogg', 'audio/wav'], 'call.wav', 'audio/ogg'],
	])('Content-Type %p for %s is %s', (contentType, fileName, want) => {
		expect(mimeTypeOf(contentType, fileName)).toBe(want);
	});

	test.each([
		['https://files.example.com/rec/2501/25010316113064799.wav?X-Amz-Signature=abc', '25010316113064799.wav'],
		['https://files.example.com/rec/call%20one.wav', 'call one.wav'],
		['https://files.example.com/rec/bad%E0.wav', 'bad%E0.wav'],
		['https://files.example.com/', 'recording'],
	])('%s is saved as %s', (url, want) => {
		expect(fileNameOf(new URL(url), 'recording')).toBe(want);
	});
});
