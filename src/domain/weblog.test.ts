import { describe, expect, it } from 'vitest';
import { parseClfLine, splitRequest, unescapeLogText } from './weblog-clf';
import { detectWeblog, previewWeblog, weblogMapping, WeblogReader } from './weblog';
import { sniffFile } from './sniff-file';

const COMBINED =
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';
const COMMON = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';
const IIS = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2024-05-01 10:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
  '2024-05-01 10:00:01 10.0.0.9 GET /default.htm - 80 - 203.0.113.7 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15',
];

describe('Apache/Nginx log lines', () => {
  it('reads a combined line into named fields, - as missing', () => {
    expect(parseClfLine(COMBINED, 'combined')).toEqual({
      client_ip: '127.0.0.1',
      ident: null,
      auth_user: 'frank',
      time: '10/Oct/2000:13:55:36 -0700',
      request: 'GET /apache_pb.gif HTTP/1.0',
      method: 'GET',
      path: '/apache_pb.gif',
      protocol: 'HTTP/1.0',
      status: '200',
      bytes: '2326',
      referrer: 'http://www.example.com/start.html',
      user_agent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
    });
  });

  it.each([
    ['Apache \\" and \\\\', String.raw`a \"quoted\" agent \\ here`, 'a "quoted" agent \\ here'],
    ['Nginx \\x22', String.raw`say \x22hi\x22`, 'say "hi"'],
    ['UTF-8 bytes as \\xHH', String.raw`/caf\xC3\xA9`, '/café'],
    ['bytes that are not UTF-8 stay escaped', String.raw`\xFF`, String.raw`\xFF`],
    ['no escapes', 'plain', 'plain'],
  ])('unescapes %s', (_name, text, expected) => {
    expect(unescapeLogText(text)).toBe(expected);
  });

  it('keeps escaped quotes inside quoted fields and extra fields after the user agent', () => {
    const line = String.raw`10.1.1.1 - - [01/May/2024:10:00:00 +0000] "GET /q?s=\"x\" HTTP/1.1" 200 5 "-" "Bot \"v2\"" "198.51.100.1"`;
    expect(parseClfLine(line, 'combined')).toMatchObject({ path: '/q?s="x"', referrer: null, user_agent: 'Bot "v2"', extra: '"198.51.100.1"' });
  });

  it.each([
    ['GET /a?b=1 HTTP/1.1', { method: 'GET', path: '/a?b=1', protocol: 'HTTP/1.1' }],
    ['GET /', { method: 'GET', path: '/', protocol: null }],
    ['GET /a b HTTP/1.1', { method: 'GET', path: '/a b', protocol: 'HTTP/1.1' }],
    ['\x16\x03\x01', { method: null, path: null, protocol: null }],
  ])('splits the request line %j', (request, expected) => {
    expect(splitRequest(request)).toEqual(expected);
  });

  it.each([
    [COMMON, 'combined', /expected 9 fields .* found 7/],
    [`${COMMON} "-" "agent"`, 'common', /expected 7 fields .* found 9/],
    ['127.0.0.1 - - 10/Oct/2000:13:55:36 "GET / HTTP/1.0" 200 1 "-" "a"', 'combined', /field 4 should be the \[time\] in \[brackets\]/],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700 "GET / HTTP/1.0" 200 1 "-" "a"', 'combined', /no closing bracket/],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0 200 1', 'common', /no closing quote/],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] GET / HTTP/1.0 200', 'common', /field 5 should be the "request" in "quotes"/],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" OK 1', 'common', /status should be a three-digit number, found "OK"/],
    ['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1kB', 'common', /bytes should be a number/],
  ] as const)('says why %j is not a %s line', (line, format, message) => {
    const parsed = parseClfLine(line, format);
    expect(typeof parsed).toBe('string');
    expect(parsed).toMatch(message);
  });
});

describe('W3C extended logs', () => {
  it('names columns by #Fields, splits on spaces (IIS) or tabs (CloudFront), and checks the field count', () => {
    const reader = new WeblogReader('w3c');
    const read = IIS.map((l) => reader.line(l));
    expect(read.slice(0, 4)).toEqual([{ skip: true }, { skip: true }, { skip: true }, { skip: true }]);
    expect(read[4]).toEqual({
      record: expect.objectContaining({
        date: '2024-05-01',
        time: '10:00:01',
        'c-ip': '203.0.113.7',
        'cs-uri-query': null,
        ip_user_agent: '203.0.113.7 Mozilla/5.0+(Windows+NT+10.0)',
      }),
    });
    expect(reader.line('2024-05-01 10:00:02 10.0.0.9 GET /')).toEqual({ problem: 'expected 15 fields, as the #Fields line above names, found 5' });
    reader.line('#Fields: date time c-ip');
    expect(reader.line('2024-05-01\t10:00:03\t198.51.100.2')).toEqual({ record: { date: '2024-05-01', time: '10:00:03', 'c-ip': '198.51.100.2' } });
  });

  it('sets aside a data line above any #Fields line', () => {
    expect(new WeblogReader('w3c').line('2024-05-01 10:00:00 1.2.3.4')).toEqual({ problem: 'a log line before any #Fields: line, which names its columns' });
  });
});

describe('telling a log by its lines', () => {
  it.each([
    ['combined', [COMBINED, COMBINED, COMBINED], 'combined'],
    ['common', [COMMON, COMMON], 'common'],
    ['IIS', IIS, 'w3c'],
    ['CloudFront', ['#Version: 1.0', '#Fields: date time c-ip', '2024-05-01\t10:00:00\t1.2.3.4'], 'w3c'],
    ['a CSV', ['user_id,timestamp,url', 'u1,2024-05-01T10:00:00Z,/'], null],
    ['a CSV with a # comment', ['# exported', 'user,ts', 'a,1'], null],
    ['mostly other lines', ['hello', 'world', COMMON, 'more', 'text'], null],
    ['a log with one bad line in its head', [COMBINED, 'garbage', COMBINED, COMBINED, COMBINED], 'combined'],
  ])('%s', (_name, lines, expected) => {
    expect(detectWeblog(lines)).toBe(expected);
  });

  it('by content, whatever the file name', () => {
    const bytes = new TextEncoder().encode(`${COMBINED}\n${COMBINED}\n`);
    for (const name of ['access.log', 'access_log', 'export.txt', 'access.csv']) {
      expect(sniffFile(name, bytes, bytes.length)).toMatchObject({ ok: true, kind: 'weblog', weblog: 'combined' });
    }
  });

  it('maps a log: IP as the user, its time, its path', () => {
    expect(weblogMapping(['client_ip', 'time', 'path'])).toEqual({ user: 'client_ip', timestamp: 'time', time: '', url: 'path', format: 'clf' });
    expect(weblogMapping(['date', 'time', 'c-ip', 'cs-uri-stem'])).toEqual({
      user: 'c-ip',
      timestamp: 'date',
      time: 'time',
      url: 'cs-uri-stem',
      format: 'iso',
    });
    expect(weblogMapping(['date', 'time', 'cs-uri-stem'])).toBeNull();
  });

  it('previews the first records', () => {
    expect(previewWeblog(`${IIS.join('\n')}\n`, 'w3c')?.rows[0]?.slice(0, 3)).toEqual(['2024-05-01', '10:00:01', '10.0.0.9']);
  });
});
