/** How the optimizer's figures read on screen: counts with separators, losses to 4 decimals. */
const counts = new Intl.NumberFormat('en-US');

export const count = (n: number): string => counts.format(Math.round(n));
export const logLoss = (x: number): string => x.toFixed(4);
/** RMSE(bins) is a gap between probabilities: shown as percentage points, as Anki does. */
export const rmse = (x: number): string => `${(x * 100).toFixed(2)}%`;
export const percent = (x: number): string => `${Math.round(x * 100)}%`;
export const perDay = (x: number): string => (x < 10 ? x.toFixed(1) : count(x));
