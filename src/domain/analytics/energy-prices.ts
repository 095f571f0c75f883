// Seed LPG prices, Petrolimex Hà Nội (docs/sources.md "Prices"): a default list users extend month
// by month. Per-kg figures are cylinder prices ÷ cylinder mass, from the 48 kg industrial
// cylinder (what kilns burn) where it was published, else the 12 kg one. Petrolimex sets gas
// prices from the 1st of each month; that date is an assumption (confidence M).
// Between two entries the older one stays in force: months missing here are priced stale,
// so check a firing's price.valid_from before trusting a cost far from these dates.

import type { PriceEntry } from './energy.ts';

export const DEFAULT_LPG_PRICES: readonly PriceEntry[] = [
  // 1,692,300 VND / 48 kg = 35,256 VND/kg (12 kg: 423,100 / 12 = 35,258)
  { valid_from: '2022-09-01', vnd_per_kg: 1_692_300 / 48, source: 'Petrolimex Hà Nội, Sep 2022: 1,692,300 VND per 48 kg cylinder (docs/sources.md, M)' },
  // 467,300 VND / 12 kg = 38,942 VND/kg
  { valid_from: '2024-11-01', vnd_per_kg: 467_300 / 12, source: 'Petrolimex Hà Nội, Nov 2024: 467,300 VND per 12 kg cylinder (docs/sources.md, M)' },
  // 1,646,000 VND / 48 kg = 34,292 VND/kg (= 411,500 / 12)
  { valid_from: '2025-12-01', vnd_per_kg: 1_646_000 / 48, source: 'Petrolimex Hà Nội, Dec 2025: 1,646,000 VND per 48 kg cylinder (docs/sources.md, M)' },
];
