import { describe, expect, it } from 'vitest';
import { EventLine, eventLineText, isPlainValidEvent, lineProblem, monthOf, ReportHeader, signedMessage, TrailerLine } from './report.ts';

const FP = 'a1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90';
const event = { source: FP, seq: 7, partner: 'harbor-it', at: '2026-03-01T10:00:00.000Z', kind: 'export' as const, subject: 'one-pager', brand: 'nimbus', data: { profile: 'print', n: 1, ok: true, none: null } };

describe('activity report lines', () => {
  it('an event line is spelled in the documented key order and parses back', () => {
    const text = eventLineText(event);
    expect(text).toBe('{"t":"event","source":"a1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90","seq":7,"partner":"harbor-it","at":"2026-03-01T10:00:00.000Z","kind":"export","subject":"one-pager","brand":"nimbus","data":{"profile":"print","n":1,"ok":true,"none":null}}');
    expect(EventLine.parse(JSON.parse(text))).toEqual({ t: 'event', ...event });
    expect(monthOf(event.at)).toBe('2026-03');
  });

  it('the fast check never accepts what the schema refuses (and accepts the plain valid line)', () => {
    const base = { t: 'event', ...event } as Record<string, unknown>;
    const variants: Record<string, unknown>[] = [
      base,
      { ...base, partner: null, brand: null, data: {} },
      { ...base, t: 'partner' },
      { ...base, extra: 1 },
      { ...base, seq: 0 },
      { ...base, seq: 1.5 },
      { ...base, seq: '7' },
      { ...base, source: 'A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90' },
      { ...base, source: 'a1b2c3d4' },
      { ...base, at: '2026-03-01 10:00:00' },
      { ...base, at: '2026-13-01T10:00:00Z' },
      { ...base, at: '2026-03-01T10:00:00+01:00' },
      { ...base, kind: 'coffee' },
      { ...base, subject: '' },
      { ...base, subject: 'x'.repeat(301) },
      { ...base, partner: '' },
      { ...base, brand: 5 },
      { ...base, data: [] },
      { ...base, data: null },
      { ...base, data: { a: { nested: true } } },
      { ...base, data: { a: [1] } },
      { ...base, data: { '': 1 } },
      { ...base, data: { a: 'x'.repeat(1001) } },
      { ...base, data: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      JSON.parse('{"t":"event","source":"a1b2 c3d4 e5f6 0718 293a 4b5c 6d7e 8f90","seq":7,"partner":null,"at":"2026-03-01T10:00:00Z","kind":"export","subject":"s","brand":null,"data":{"__proto__":1}}') as Record<string, unknown>,
    ];
    for (const v of variants) {
      const zodOk = EventLine.safeParse(v).success;
      if (isPlainValidEvent(v)) expect(zodOk, JSON.stringify(v)).toBe(true);
    }
    expect(isPlainValidEvent(variants[0]!)).toBe(true);
    expect(isPlainValidEvent(variants[1]!)).toBe(true);
    expect(variants.slice(2, -1).filter((v) => EventLine.safeParse(v).success)).toEqual([]);
  });

  it('problems name the field', () => {
    expect(lineProblem(EventLine, { t: 'event', ...event, kind: 'coffee' })).toMatch(/^kind /);
    expect(lineProblem(TrailerLine, { t: 'end', events: 1, sha256: 'x', signature: 'y' })).toMatch(/^sha256 must be 64 lower-case hex digits/);
    expect(lineProblem(ReportHeader, { format: 'lockup.activity-report', version: 1 })).toMatch(/^kind /);
  });

  it('the signed message is the hash and the count, in ASCII', () => {
    expect(new TextDecoder().decode(signedMessage('ab'.repeat(32), 12))).toBe(`sha256:${'ab'.repeat(32)}\nevents:12\n`);
  });
});
