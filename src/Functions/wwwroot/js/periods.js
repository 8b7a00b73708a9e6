import { get } from './api.js';

/** The quarters around today, as the deadline rule of the form sets them (dates in Vietnam). */
export async function quartersAround(form) {
  const { data: thisYear } = await get(`/api/periods/${form}`);
  const { data: lastYear } = await get(`/api/periods/${form}?year=${thisYear.year - 1}`);
  const today = thisYear.today;
  const all = [...lastYear.periods, ...thisYear.periods].filter(p => p.type === 'quarter');
  const started = all.filter(p => p.dataStart <= today).slice(-4);
  const next = all.find(p => p.dataStart > today);
  return { today, periods: [...(next ? [next] : []), ...started.reverse()] };
}
