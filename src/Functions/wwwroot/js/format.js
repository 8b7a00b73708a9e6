// Figures, dates, statuses and deadlines the way a Vietnamese office writes them.
const numbers = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const percents = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const number = value => value === null || value === undefined || value === '' ? '' : numbers.format(Number(value));
export const percent = share => share === null || share === undefined || !Number.isFinite(share) ? '' : percents.format(share);

/** "1.250,5", "1250.5", "14.646" → a number; null when empty; NaN when not a number. */
export function parseNumber(text) {
  const value = String(text ?? '').trim().replace(/\s/g, '');
  if (value === '') return null;
  let normal = value;
  if (value.includes(',')) normal = value.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+$/.test(value)) normal = value.replace(/\./g, '');
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
}

const roman = ['I', 'II', 'III', 'IV'];
export function periodName(key) {
  let m;
  if ((m = /^(\d{4})Q([1-4])$/.exec(key))) return `Quý ${roman[m[2] - 1]} năm ${m[1]}`;
  if ((m = /^(\d{4})H([12])$/.exec(key))) return m[2] === '1' ? `6 tháng đầu năm ${m[1]}` : `6 tháng cuối năm ${m[1]}`;
  if ((m = /^(\d{4})$/.exec(key))) return `Năm ${m[1]}`;
  if ((m = /^(\d{4})-(\d{4})$/.exec(key))) return `Giai đoạn ${m[1]}–${m[2]}`;
  return key;
}

/** A short name for tight places (a chart's axis): "Quý IV/2026", "6T đầu/2025", "2025". */
export function shortPeriodName(key) {
  let m;
  if ((m = /^(\d{4})Q([1-4])$/.exec(key))) return `Quý ${roman[m[2] - 1]}/${m[1]}`;
  if ((m = /^(\d{4})H([12])$/.exec(key))) return `6T ${m[2] === '1' ? 'đầu' : 'cuối'}/${m[1]}`;
  return periodName(key);
}

export const statusNames = {
  missing: 'Chưa nhập', draft: 'Nháp', submitted: 'Đã gửi', returned: 'Bị trả lại', approved: 'Đã duyệt', complete: 'Đủ các quý', partial: 'Thiếu quý',
};
/** Kinds of unit as a province names them. */
export const kindNames = {
  province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Xã', ward: 'Phường', 'special-zone': 'Đặc khu', agency: 'Cơ quan',
  'public-service-unit': 'Đơn vị sự nghiệp công lập', 'state-enterprise': 'Doanh nghiệp nhà nước',
  'private-enterprise': 'Doanh nghiệp ngoài nhà nước', 'mass-organisation': 'Mặt trận và đoàn thể',
};
export const roleNames = { reporter: 'Người báo cáo', reviewer: 'Người duyệt', admin: 'Quản trị' };

export function date(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export function dateTime(iso) {
  if (!iso) return '';
  const at = new Date(new Date(iso).getTime() + 7 * 3600 * 1000);
  const pad = n => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${pad(at.getUTCMonth() + 1)}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

const days = (from, to) => Math.round((Date.parse(to) - Date.parse(from)) / 86400000);

/** "còn 5 ngày", "hạn chót hôm nay", "quá hạn 2 ngày", "đã khóa" — from the period's dates and today (Vietnam). */
export function deadlineText(period, deadline, today) {
  if (period.locked) return 'đã khóa';
  if (today < period.dataStart) return `mở từ ${date(period.dataStart)}`;
  const left = days(today, deadline);
  if (left > 0) return `còn ${left} ngày`;
  if (left === 0) return 'hạn chót hôm nay';
  return `quá hạn ${-left} ngày`;
}
