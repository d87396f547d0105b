import { readFileSync } from 'node:fs';
import { type Harness, resetData, snapshot, startHarness } from '../support/harness';

const RANGE = [
  'run',
  '--from',
  '2024-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.cleanup());

const statusOf = (report: Awaited<ReturnType<Harness['run']>>['report'], key: string) =>
  report?.outcomes.find((o) => `${o.source}/${o.series}/${o.period}` === key);

describe('a first load, its rerun and a late cancellation', () => {
  it('pages through both sources (3 pages, string-typed counts) and loads every period', async () => {
    const { exitCode, report, out } = await h.run([...RANGE, '--page-size', '2']);
    expect(exitCode).toBe(0);
    expect(report?.totals).toEqual({ inserted: 18, updated: 0, unchanged: 0, skipped: 0 });
    const ronePages = h.standIn.requests
      .filter((r) => r.source === 'rone' && r.period === '202401')
      .map((r) => r.page);
    expect(ronePages).toEqual([1, 2, 3]);
    expect(h.standIn.requests.every((r) => r.userAgent?.startsWith('estate-etl/'))).toBe(true);
    expect(statusOf(report, 'rone/A_2024_00045/2024-03')?.status).toBe('empty'); // INFO-200
    expect(statusOf(report, 'molit/11680/2024-03')?.status).toBe('empty'); // <items/>
    expect(out).toMatch(/total\s+ok\s+18\s+0\s+0\s+0/);

    const { rows: rone } = await h.db.query(
      `SELECT cls_id, dta_val::text FROM rone_index_values WHERE wrttime_idtfr_id = '202401' ORDER BY cls_id`,
    );
    expect(rone).toHaveLength(5);
    expect(rone[0]).toEqual({ cls_id: '500001', dta_val: '96.8' });
    const { rows: deals } = await h.db.query(
      `SELECT apt_nm, ordinal, deal_date::text, deal_amount::int, exclu_use_ar::text, apt_dong, cancelled, cancel_date::text
       FROM apartment_deals WHERE lawd_cd = '11680' ORDER BY deal_date, apt_nm, ordinal`,
    );
    expect(deals).toEqual([
      {
        apt_nm: '래미안대치팰리스',
        ordinal: 1,
        deal_date: '2024-01-05',
        deal_amount: 382500,
        exclu_use_ar: '84.97',
        apt_dong: null,
        cancelled: false,
        cancel_date: null,
      },
      {
        apt_nm: '개포자이프레지던스',
        ordinal: 1,
        deal_date: '2024-01-09',
        deal_amount: 265000,
        exclu_use_ar: '84.93',
        apt_dong: '101',
        cancelled: true,
        cancel_date: '2024-02-10',
      },
      {
        apt_nm: '은마',
        ordinal: 1,
        deal_date: '2024-01-17',
        deal_amount: 21000,
        exclu_use_ar: '76.79',
        apt_dong: null,
        cancelled: false,
        cancel_date: null,
      },
      {
        apt_nm: '은마',
        ordinal: 2,
        deal_date: '2024-01-17',
        deal_amount: 21000,
        exclu_use_ar: '76.79',
        apt_dong: null,
        cancelled: false,
        cancel_date: null,
      },
      // One item, not a list, and a 1,250,000 amount.
      {
        apt_nm: '도곡렉슬',
        ordinal: 1,
        deal_date: '2024-02-29',
        deal_amount: 1250000,
        exclu_use_ar: '134.90',
        apt_dong: null,
        cancelled: false,
        cancel_date: null,
      },
    ]);
  });

  it('published market.updated once, after commit, with the counts', async () => {
    const events = await h.takeEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      regions: ['11650', '11680'],
      periods: ['2024-01', '2024-02'],
      counts: { inserted: 18, updated: 0, unchanged: 0, skipped: 0 },
      // 11650 has no deals in 2024-02: the pairs, not regions x periods (what summaries are made of).
      changes: [
        { region: '11650', period: '2024-01' },
        { region: '11680', period: '2024-01' },
        { region: '11680', period: '2024-02' },
      ],
    });
  });

  it('a rerun changes nothing: equal row counts and checksums, deals re-fetched, no event', async () => {
    const before = await snapshot(h.db);
    const { exitCode, report } = await h.run(RANGE);
    expect(exitCode).toBe(0);
    expect(report?.totals).toEqual({ inserted: 0, updated: 0, unchanged: 8, skipped: 0 });
    expect(statusOf(report, 'rone/A_2024_00045/2024-01')?.status).toBe('already loaded');
    expect(statusOf(report, 'molit/11680/2024-01')?.status).toBe('loaded'); // inside the lookback window
    expect(report?.event.status).toBe('nothing changed');
    expect(await snapshot(h.db)).toEqual(before);
    expect(await h.takeEvents()).toEqual([]);
  });

  it('a re-fetch updates a cancellation reported later, in place', async () => {
    const fixture = await import('node:fs').then((fs) =>
      fs.readFileSync(`${__dirname}/../../dev/fixtures/molit/11680/202402.xml`, 'utf8'),
    );
    h.standIn.setMolitDocument(
      '11680',
      '202402',
      fixture.replace(
        '<cdealDay> </cdealDay><cdealType> </cdealType>',
        '<cdealDay>24.03.20</cdealDay><cdealType>O</cdealType>',
      ),
    );
    const { exitCode, report } = await h.run(RANGE);
    expect(exitCode).toBe(0);
    expect(report?.totals).toMatchObject({ inserted: 0, updated: 1 });
    const { rows } = await h.db.query(
      `SELECT count(*)::int AS n, bool_and(cancelled) AS cancelled, max(cancel_date)::text AS cancel_date
       FROM apartment_deals WHERE apt_nm = '도곡렉슬'`,
    );
    expect(rows[0]).toEqual({ n: 1, cancelled: true, cancel_date: '2024-03-20' });
    const events = await h.takeEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      periods: ['2024-02'],
      regions: ['11680'],
      counts: { updated: 1, inserted: 0 },
    });
  });
});

describe('failures', () => {
  beforeEach(async () => {
    await resetData(h.db);
    h.standIn.faults.splice(0);
    await h.takeEvents();
  });

  it('a short page fails that period (nothing of it kept) and the rest loads', async () => {
    h.standIn.faults.push({ source: 'rone', period: '202401', page: 2, kind: 'short' });
    const { exitCode, report, out } = await h.run([...RANGE, '--page-size', '2']);
    expect(exitCode).toBe(1);
    expect(statusOf(report, 'rone/A_2024_00045/2024-01')).toMatchObject({ status: 'failed' });
    expect(statusOf(report, 'rone/A_2024_00045/2024-01')?.reason).toContain('received 3 of 5 rows');
    expect(statusOf(report, 'rone/A_2024_00045/2024-02')?.status).toBe('loaded');
    const { rows } = await h.db.query(
      `SELECT wrttime_idtfr_id, count(*)::int AS n FROM rone_index_values GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([{ wrttime_idtfr_id: '202402', n: 5 }]);
    const marks = await h.db.query(`SELECT period FROM etl_watermarks WHERE source = 'rone'`);
    expect(marks.rows).toEqual([{ period: '2024-02' }]);
    expect(out).toContain('FAILED');
  });

  it('dropped connections are retried; a source that keeps dropping fails only its period', async () => {
    h.standIn.faults.push({ source: 'molit', series: '11680', period: '202401', kind: 'drop', times: 2 });
    h.standIn.faults.push({ source: 'molit', series: '11650', period: '202401', kind: 'drop' });
    const { exitCode, report } = await h.run(RANGE);
    expect(exitCode).toBe(1);
    expect(statusOf(report, 'molit/11680/2024-01')?.status).toBe('loaded');
    expect(statusOf(report, 'molit/11650/2024-01')).toMatchObject({ status: 'failed' });
    expect(statusOf(report, 'molit/11650/2024-01')?.reason).toContain('gave up after 3 attempts');
    expect(statusOf(report, 'molit/11680/2024-02')?.status).toBe('loaded');
  });

  it('a per-second limit (23) is retried; MOLIT 03 is an empty month', async () => {
    h.standIn.faults.push({
      source: 'molit',
      series: '11680',
      period: '202401',
      kind: 'code',
      code: '23',
      times: 1,
    });
    h.standIn.faults.push({ source: 'molit', series: '11680', period: '202402', kind: 'code', code: '03' });
    const { exitCode, report } = await h.run(RANGE);
    expect(exitCode).toBe(0);
    expect(statusOf(report, 'molit/11680/2024-01')?.status).toBe('loaded');
    expect(statusOf(report, 'molit/11680/2024-02')?.status).toBe('empty');
  });

  it.each(['10', '11'])(
    'MOLIT %s (bad parameter) fails its period; the run goes on and exits 1',
    async (code) => {
      h.standIn.faults.push({ source: 'molit', series: '11680', period: '202401', kind: 'code', code });
      const { exitCode, report } = await h.run(RANGE);
      expect(exitCode).toBe(1);
      expect(statusOf(report, 'molit/11680/2024-01')?.status).toBe('failed');
      expect(report?.outcomes.filter((o) => o.status === 'loaded')).toHaveLength(4);
      expect(report?.stoppedBy).toBeUndefined();
    },
  );

  it.each([
    ['rone', 'code', 'ERROR-290', 'estate/dev/kreb'],
    ['rone', 'code', 'INFO-300', 'estate/dev/kreb'],
    ['rone', 'code', 'ERROR-336', 'pSize'],
    ['rone', 'code', 'ERROR-337', 'quota'],
    ['molit', 'code', '20', 'estate/dev/molit'],
    ['molit', 'gateway', '20', 'estate/dev/molit'],
    ['molit', 'code', '22', 'daily request limit'],
    ['molit', 'gateway', '22', 'daily request limit'],
    ['molit', 'code', '30', 'estate/dev/molit'],
    ['molit', 'gateway', '30', 'estate/dev/molit'],
    ['molit', 'code', '31', 'estate/dev/molit'],
    ['molit', 'gateway', '31', 'estate/dev/molit'],
  ] as const)(
    '%s %s %s stops the run (exit 1, the rest not attempted, no watermark)',
    async (source, kind, code, says) => {
      h.standIn.faults.push({ source, kind, code });
      const { exitCode, report, out } = await h.run(RANGE);
      expect(exitCode).toBe(1);
      expect(report?.stoppedBy).toContain(says);
      expect(out).toContain('stopped:');
      // Two periods are loaded at once: one of the same source already in flight fails the same way.
      const failed = report?.outcomes.filter((o) => o.status === 'failed') ?? [];
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.every((o) => o.source === source)).toBe(true);
      const after = report?.outcomes.filter((o) => o.status === 'not attempted') ?? [];
      expect(after.length).toBeGreaterThan(0);
      const marks = await h.db.query(`SELECT * FROM etl_watermarks WHERE source = $1`, [source]);
      expect(marks.rows).toEqual([]);
      expect(out).not.toContain(source === 'rone' ? h.keys.kreb : h.keys.molit);
    },
  );

  it('periods in flight when the quota runs out finish and report; the rest are not attempted, in plan order', async () => {
    // rone 2024-01 is slow and in flight when molit 11680 2024-01 (started beside it) gets 22.
    h.standIn.faults.push(
      { source: 'rone', period: '202401', kind: 'delay', ms: 500 },
      { source: 'molit', kind: 'code', code: '22' },
    );
    const { exitCode, report } = await h.run([...RANGE, '--parallel', '2']);
    expect(exitCode).toBe(1);
    expect(report?.stoppedBy).toContain('daily request limit');
    expect(report?.outcomes.map((o) => `${o.source}/${o.series}/${o.period} ${o.status}`)).toEqual([
      'rone/A_2024_00045/2024-01 loaded',
      'molit/11680/2024-01 failed',
      'molit/11650/2024-01 not attempted',
      'rone/A_2024_00045/2024-02 not attempted',
      'molit/11680/2024-02 not attempted',
      'molit/11650/2024-02 not attempted',
      'rone/A_2024_00045/2024-03 not attempted',
      'molit/11680/2024-03 not attempted',
      'molit/11650/2024-03 not attempted',
    ]);
    const marks = await h.db.query(`SELECT source, series, period FROM etl_watermarks`);
    expect(marks.rows).toEqual([{ source: 'rone', series: 'A_2024_00045', period: '2024-01' }]);
  });

  it('periods loaded at once still keep the pace per source, and load the same rows as one at a time', async () => {
    const { exitCode: serialExit } = await h.run([...RANGE, '--page-size', '2', '--parallel', '1']);
    expect(serialExit).toBe(0);
    const serial = await snapshot(h.db);
    await resetData(h.db);
    h.standIn.requests.splice(0);
    const paceMs = 40;
    const { exitCode } = await h.run([
      ...RANGE,
      '--page-size',
      '2',
      '--parallel',
      '4',
      '--pace-ms',
      String(paceMs),
    ]);
    expect(exitCode).toBe(0);
    expect(await snapshot(h.db)).toEqual(serial);
    for (const source of ['rone', 'molit'] as const) {
      const arrivals = h.standIn.requests.filter((r) => r.source === source).map((r) => r.at);
      // The slots themselves are tested on a manual clock (test/unit/pacer.test.ts). Here only
      // that the pace is shared by the periods in flight: arrivals at the stand-in can only come
      // later than their slots, so the span of n requests is at least (n - 1) paces less the first
      // one's delay. A pace kept per period instead of per source would span a few ms per request.
      const span = arrivals.at(-1)! - arrivals[0]!;
      expect(arrivals.length).toBeGreaterThanOrEqual(6);
      expect(span).toBeGreaterThanOrEqual(((arrivals.length - 1) * paceMs) / 2);
    }
    // The months really were in flight together: their pages interleave.
    const molit = h.standIn.requests
      .filter((r) => r.source === 'molit')
      .map((r) => `${r.series}/${r.period}`);
    const runs = molit.filter((key, i) => i === 0 || key !== molit[i - 1]).length;
    expect(runs).toBeGreaterThan(new Set(molit).size);
  });

  it("text with COPY's special characters (tab, newline, backslash, a literal \\N) is stored as sent", async () => {
    const original = readFileSync(`${__dirname}/../../dev/fixtures/molit/11650/202401.xml`, 'utf8');
    h.standIn.setMolitDocument(
      '11650',
      '202401',
      original
        .replace('<aptNm>아크로리버파크</aptNm>', '<aptNm>아크로&#9;리버\\파크&#10;1</aptNm>')
        .replace('<aptDong>102</aptDong>', '<aptDong>\\N</aptDong>'),
    );
    try {
      const { exitCode } = await h.run(RANGE);
      expect(exitCode).toBe(0);
      const { rows } = await h.db.query(
        `SELECT apt_nm, apt_dong FROM apartment_deals WHERE apt_seq = '11650-1139'`,
      );
      expect(rows).toEqual([{ apt_nm: '아크로\t리버\\파크\n1', apt_dong: '\\N' }]);
    } finally {
      h.standIn.setMolitDocument('11650', '202401', original);
    }
  });

  it('a deal of another region or month than the page asked for is skipped with its reason, not stored elsewhere', async () => {
    const original = readFileSync(`${__dirname}/../../dev/fixtures/molit/11650/202401.xml`, 'utf8');
    let item = 0;
    // The first deal says it is in 11680, the second that it was made in December 2023.
    const edited = original.replace(/<item>[\s\S]*?<\/item>/g, (xml) => {
      item += 1;
      if (item === 1) return xml.replace('<sggCd>11650</sggCd>', '<sggCd>11680</sggCd>');
      if (item === 2)
        return xml
          .replace('<dealYear>2024</dealYear>', '<dealYear>2023</dealYear>')
          .replace('<dealMonth>1</dealMonth>', '<dealMonth>12</dealMonth>');
      return xml;
    });
    expect(item).toBe(3);
    h.standIn.setMolitDocument('11650', '202401', edited);
    try {
      const { exitCode, report } = await h.run(RANGE);
      expect(exitCode).toBe(0);
      expect(statusOf(report, 'molit/11650/2024-01')).toMatchObject({
        status: 'loaded',
        skipped: { 'sggCd is not the requested region': 1, 'deal date is outside the requested month': 1 },
      });
      const { rows } = await h.db.query(
        `SELECT lawd_cd, to_char(deal_date, 'YYYY-MM') AS month, count(*)::int AS n FROM apartment_deals
         WHERE apt_nm IN ('아크로리버파크', '반포자이', '래미안퍼스티지') GROUP BY 1, 2`,
      );
      expect(rows).toEqual([{ lawd_cd: '11650', month: '2024-01', n: 1 }]);
    } finally {
      h.standIn.setMolitDocument('11650', '202401', original);
    }
  });

  it('a month whose every deal is skipped fails (no watermark, nothing kept): a changed format, not an empty month', async () => {
    const original = readFileSync(`${__dirname}/../../dev/fixtures/molit/11650/202401.xml`, 'utf8');
    h.standIn.setMolitDocument(
      '11650',
      '202401',
      original.replaceAll(/<dealAmount>[^<]*<\/dealAmount>/g, '<dealAmount>n/a</dealAmount>'),
    );
    try {
      const { exitCode, report } = await h.run(RANGE);
      expect(exitCode).toBe(1);
      expect(statusOf(report, 'molit/11650/2024-01')).toMatchObject({ status: 'failed' });
      expect(statusOf(report, 'molit/11650/2024-01')?.reason).toBe(
        'MOLIT 11650 2024-01: every one of 3 deals was skipped (dealAmount invalid: 3); period not kept',
      );
      expect(statusOf(report, 'molit/11680/2024-01')?.status).toBe('loaded');
      const marks = await h.db.query(
        `SELECT 1 FROM etl_watermarks WHERE source = 'molit' AND series = '11650' AND period = '2024-01'`,
      );
      expect(marks.rowCount).toBe(0);
    } finally {
      h.standIn.setMolitDocument('11650', '202401', original);
    }
  });

  it('an unconfirmed publish fails the run; the next run publishes that event', async () => {
    const good = h.secrets.get('rabbitmq').url;
    const broken = new URL(good);
    broken.port = '1';
    await h.putSecret('rabbitmq', { url: broken.toString() });
    await h.secrets.refresh();
    const failed = await h.run(RANGE, { publishTimeoutMs: 3_000 });
    expect(failed.exitCode).toBe(1);
    expect(failed.report?.event.status).toBe('failed');
    expect(await h.takeEvents()).toEqual([]);

    await h.putSecret('rabbitmq', { url: good });
    await h.secrets.refresh();
    const next = await h.run(RANGE);
    expect(next.exitCode).toBe(0);
    expect(next.report?.republished).toEqual([failed.report?.runId]);
    const events = await h.takeEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ runId: failed.report?.runId, counts: { inserted: 18 } });
  });
});

describe('logs', () => {
  it('never carry a key, not even redacted (the key never reached the logger)', () => {
    const text = h.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain('period loaded');
    expect(text).not.toContain(h.keys.kreb);
    expect(text).not.toContain(h.keys.molit);
    expect(text).not.toContain('[redacted:kreb');
    expect(text).not.toContain('[redacted:molit');
  });
});
