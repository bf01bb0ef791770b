// The disruption, line day and risk pages, one file each.
export { disruptionPage } from './disruption.js';
export { lineDayPage } from './line_day.js';
export { riskPage } from './risk.js';
