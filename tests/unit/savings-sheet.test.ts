// The one-page savings report's share-and-range text (dashboard/src/views/print.ts): the share
// with one decimal and its range in whole percent, the language's way; nothing when the service
// sends no share (a service from before the ranges).
import { describe, expect, it } from 'vitest';
import { pctWithRange, type SavingsLine } from '../../dashboard/src/views/print.ts';
import { getLang } from '../../dashboard/src/i18n.ts';

const line = (extra: Partial<SavingsLine>): SavingsLine => ({ baseline: 34_347, actual: 9_459, avoided: 24_888, confidence: 'M', ...extra });

describe('pctWithRange', () => {
  it('Vietnamese (the default): 72,5 % (65–80 %)', () => {
    expect(getLang()).toBe('vi');
    expect(pctWithRange(line({ avoided_pct: 72.46, avoided_pct_low: 65.2, avoided_pct_high: 79.7 }))).toBe('72,5 % (65–80 %)');
  });
  it('the share alone when the service gives no range, nothing when it gives no share', () => {
    expect(pctWithRange(line({ avoided_pct: 72.46 }))).toBe('72,5 %');
    expect(pctWithRange(line({ avoided_pct: null }))).toBe('');
    expect(pctWithRange(line({}))).toBe('');
  });
});
