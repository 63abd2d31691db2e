// Prices per model, for pricing a run's costs in dollars in the workbench: kept in localStorage
// under `tandem.prices.<model>` (never sent to the API) and shared by every chart of that model.
import { create } from 'zustand';
import { pricesProblem, type Prices } from '../../../core/contract/cost.ts';

export const PRICES_KEY_PREFIX = 'tandem.prices.';

/** The prices saved in this browser for `model` (validated), or null. */
export function readSavedPrices(model: string): Prices | null {
  try {
    const raw = localStorage.getItem(PRICES_KEY_PREFIX + model);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Record<keyof Prices, unknown>>;
    return pricesProblem(parsed) === null ? (parsed as Prices) : null;
  } catch {
    return null;
  }
}

interface PricesState {
  byModel: Record<string, Prices | null>;
  set(model: string, prices: Prices | null): void;
}

export const usePricesStore = create<PricesState>((set) => ({
  byModel: {},
  set(model, prices) {
    if (prices) localStorage.setItem(PRICES_KEY_PREFIX + model, JSON.stringify(prices));
    else localStorage.removeItem(PRICES_KEY_PREFIX + model);
    set((s) => ({ byModel: { ...s.byModel, [model]: prices } }));
  },
}));

/** The prices saved for `model`, or null. */
export function usePrices(model: string): Prices | null {
  const known = usePricesStore((s) => (model in s.byModel ? s.byModel[model]! : undefined));
  return known === undefined ? readSavedPrices(model) : known;
}
