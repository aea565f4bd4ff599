// Vega-Lite chart specs, one module per picture.
export { estimatesChart, estimatesValues } from './estimates.js';
export { biasSdChart, biasSdPoints, rmseLevels } from './bias-sd.js';
export { coverageChart, coveragePoints } from './coverage.js';
export { liftByDayChart, type DayLift } from './days.js';
export { sweepChart } from './sweep.js';
export { ACROSS_COLOR, CONTROL_COLOR, config, designColor, PALETTE, TREATED_COLOR, TRUTH_COLOR } from './style.js';
export { adoptionChart, adoptionValues, byDayChart, dayValues } from './by-day.js';
